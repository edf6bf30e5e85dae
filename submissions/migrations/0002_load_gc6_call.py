"""Load the real GC6 call for submissions (CMW, 2022). Its rules are in ../shared/call/."""

import datetime
from zoneinfo import ZoneInfo

from django.db import migrations

GENEVA = ZoneInfo("Europe/Zurich")

QUESTIONS = 'What should be included in the general overview section of general comment No. 6, apart from an overview of the drafting and adoption history of the Convention and the Global Compact, including references to the New York Declaration for Refugees and Migrants, and a brief synopsis of the provisions of the Global Compact, in particular its objectives, and the substantive articles of the Convention?\nWhat lessons can be drawn from the regional reviews and international migration review forum (IMRF) regarding the implementation, follow-up and review of the Global Compact from an international human rights perspective? To what extent has the Convention been referred to in the regional reviews and the IMRF?\nHow does the Global Compact promote the engagement of States’ public authorities in its implementation, follow-up and review, compared to the Convention as interpreted by the Committee?\nHow does the Global Compact promote the engagement of United Nations entities in its implementation, follow-up and review, compared to the Convention as interpreted by the Committee?\nHow does the Global Compact promote the engagement of national human rights institutions in its implementation, follow-up and review, compared to the Convention as interpreted by the Committee?\nHow does the Global Compact promote the engagement of civil society actors, including migrants’ organizations and migrants themselves, in its implementation, follow-up and review, compared to the Convention as interpreted by the Committee?\nIn what way does the Convention and the Global Compact define the scope of the general comment?\nWhat are the axes of the human rights vision of the Global Compact: To what extent does the Global Compact, in particular its objectives, reflect the principles of human dignity, equality and non-discrimination and the rights enshrined in the Convention and in international human rights law in general? What are the substantive gaps? What are the procedural gaps, including with a view to individual and inter-State complaints mechanisms?\nHow do the Convention and the Global Compact protect migrants’ right to an effective remedy?\nHow does the Convention and the Global Compact address the issue of violence against and xenophobia towards migrants and other forms of abuse against migrants?\nIn what ways does the Convention and the Global Compact approach due process, detention and equality before the courts?\nWhat provisions exist in the Convention and the Global Compact to protect migrants’ right to participate in public affairs and vote and to be elected in their State of origin?\nWhat is the Convention and the Global Compact’s approach to family reunification?\nHow does the Convention and the Global Compact approach the issue of remittances?\nIn what ways does the Convention and the Global Compact address work and residence permits?\nWhat provisions are taken in the Global Compact to promote sound, equitable, and humane migration policies compared to the Convention?\nIn what ways does the Global Compact protect the human rights of migrant children compared to the Convention?\nIn what ways does the Global Compact protect the human rights of migrant women compared to the Convention?\nWhat measures are taken in the Convention and the Global Compact to protect specific categories of migrant workers?\nHow does the Convention and the Global Compacts approach to recruitment agencies compare?\nWhat measures does the Global Compact take regarding the orderly return and reintegration of migrants, including durable and cultural integration, in comparison with the Convention?\nWhat measures do the Convention and the Global Compact take to prevent irregular or clandestine migration movements and employment of migrant workers in an irregular situation?\nIn general, how does the Global Compact tackle the issue of migrants in an irregular situation compared to the Convention as interpreted by the Committee?\nConversely, does the Global Compact cover aspects of international migration, which are not addressed in the Convention as interpreted by the Committee in its concluding observations following the reviews of States parties reports to the Committee and its general comments?\nWhat will be the limitations of the general comment? Does the exclusion clause in article 3 of the Convention have any bearing on the scope of general comment No. 6?\nHow will the framework of the Convention enable States to fulfil their pledges under the Global Compact?'


def load(apps, schema_editor):
    Call = apps.get_model("submissions", "Call")
    Call.objects.update_or_create(
        slug="gc6",
        defaults=dict(
            tracking_prefix="GC6",
            title=(
                "Draft General Comment No. 6 on the convergence of the Convention and the "
                "Global Compact for Safe, Orderly and Regular Migration: call for submissions"
            ),
            summary=(
                "The Committee on Migrant Workers invites States, United Nations agencies and "
                "entities, national human rights institutions, civil society organizations, "
                "academia and others to send written inputs for its General Comment No. 6 on "
                "the convergence of the Convention and the Global Compact for Migration."
            ),
            questions=QUESTIONS,
            # The call followed the working group's meeting in Agadir, 10-11 May 2022.
            opens_at=datetime.datetime(2022, 5, 12, 0, 0, tzinfo=GENEVA),
            # "received by 12 September 2022 at the latest": the end of that day in Geneva.
            deadline=datetime.datetime(2022, 9, 12, 23, 59, 59, 999999, tzinfo=GENEVA),
            time_zone="Europe/Zurich",
            word_limit=5000,
            word_limit_counts_notes=True,
            accepted_extensions=".docx",
            preferred_languages="en,fr,es",
            publication_default="publish",
        ),
    )


def unload(apps, schema_editor):
    apps.get_model("submissions", "Call").objects.filter(slug="gc6", submissions=None).delete()


class Migration(migrations.Migration):
    dependencies = [("submissions", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
