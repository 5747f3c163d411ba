from django.urls import path

from storyforge.core import converters  # noqa: F401 - registers <id:...>
from storyforge.generation import api

urlpatterns = [
    path("jobs/", api.JobListApi.as_view(), name="job-list"),
    path("jobs/<id:job_id>/", api.JobDetailApi.as_view(), name="job-detail"),
]
