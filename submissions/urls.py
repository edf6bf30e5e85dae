from django.urls import path

from submissions.views import commenting, draft, open_data, public, status, submitting

app_name = "submissions"

urlpatterns = [
    path("", public.home, name="home"),
    path("calls/<slug:slug>/", public.call_detail, name="call"),
    path("calls/<slug:slug>/submit/", submitting.submit, name="submit"),
    path("calls/<slug:slug>/submissions/", public.posted_list, name="posted_list"),
    path("calls/<slug:slug>/submissions/<int:number>/", public.posted_detail, name="posted"),
    path(
        "calls/<slug:slug>/submissions/<int:number>/file/", public.posted_file, name="posted_file"
    ),
    path("calls/<slug:slug>/submissions/<int:number>/pdf/", public.posted_pdf, name="posted_pdf"),
    path("calls/<slug:slug>/draft/", draft.draft_home, name="draft_home"),
    path("calls/<slug:slug>/draft/<str:language>/", draft.draft, name="draft"),
    path("calls/<slug:slug>/draft/<str:language>/file/", draft.draft_file, name="draft_file"),
    path(
        "calls/<slug:slug>/draft/<str:language>/template/",
        draft.comments_template,
        name="comments_template",
    ),
    path("calls/<slug:slug>/comment/", commenting.comment, name="comment"),
    path("calls/<slug:slug>/statistics/", open_data.statistics, name="statistics"),
    path("calls/<slug:slug>/feed/", open_data.PostedFeed(), name="feed"),
    path("calls/<slug:slug>/submissions.zip", open_data.download_all, name="zip"),
    path("api/calls/<slug:slug>/submissions/", open_data.api_submissions, name="api"),
    path("status/<str:token>/", status.status, name="status"),
    path("status/<str:token>/state.json", status.status_state, name="status_state"),
    path("status/<str:token>/version/", status.status_version, name="status_version"),
    path("status/<str:token>/comments/", commenting.comment_version, name="comment_version"),
    path("status/<str:token>/withdraw/", status.status_withdraw, name="status_withdraw"),
]
