"""Three views, written as anyone would in a new project: no caching, no checks."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from bare.models import Submission, Upload


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, world.")


def posted_list(request: HttpRequest) -> HttpResponse:
    """The newest 50 posted rows, as a table rendered by a template."""
    rows = Submission.objects.filter(state="posted").order_by("-posted_at")[:50]
    return render(request, "bare/list.html", {"rows": rows})


@csrf_exempt
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    """One multipart POST: the file saved to MEDIA_ROOT and a row, then a redirect."""
    data = request.POST
    Upload.objects.create(
        stakeholder_name=data["stakeholder_name"],
        category=data["category"],
        country=data.get("country", ""),
        contact_email=data["contact_email"],
        language=data["language"],
        file=request.FILES["file"],
    )
    return redirect("/hello/")
