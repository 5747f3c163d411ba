"""The jobs API: every piece of AI work of the signed-in user, whatever asked for it."""

from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from storyforge.core.api_schema import error_responses
from storyforge.generation import selectors
from storyforge.generation import serializers as s
from storyforge.generation.filters import JobFilter
from storyforge.generation.models import GenerationJob


class JobListApi(GenericAPIView):
    queryset = GenerationJob.objects.none()
    filterset_class = JobFilter

    def get_queryset(self):
        return selectors.job_list(user=self.request.user)

    @extend_schema(tags=["jobs"], responses={200: s.JobOutput(many=True), **error_responses(400, 404)})
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.JobOutput(page, many=True).data)


class JobDetailApi(APIView):
    @extend_schema(tags=["jobs"], responses={200: s.JobOutput, **error_responses(404)})
    def get(self, request, job_id: int):
        return Response(s.JobOutput(selectors.job_get(user=request.user, job_id=job_id)).data)
