"""The stories API's cover endpoints: drawing a book's cover again and choosing among
its cover pictures (the cover's words are the story's, changed by PATCH /stories/{id}/)."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from stories import serializers as s
from stories import services
from stories.api import GENERATION_THROTTLES
from storyforge.core.api_schema import error_responses
from storyforge.generation.serializers import JobOutput


class CoverRegenerateApi(APIView):
    throttle_classes = GENERATION_THROTTLES

    @extend_schema(
        tags=["stories"],
        summary="Draw a new cover picture",
        description="Adds a cover candidate drawn for the cover (the cast together, the title's subject); follow the "
        "job at /api/v1/jobs/{id}/. It becomes the cover when the book has none yet, else choose it with "
        "/cover/{cover_id}/select/.",
        request=None,
        responses={202: JobOutput, **error_responses(404, 409, 422, 503)},
    )
    def post(self, request, story_id: int):
        job = services.cover_regenerate(user=request.user, story_id=story_id)
        return Response(JobOutput(job).data, status=status.HTTP_202_ACCEPTED)


class CoverSelectApi(APIView):
    @extend_schema(
        tags=["stories"],
        summary="Choose a book's cover picture",
        request=None,
        responses={200: s.CoverPictureOutput, **error_responses(404)},
    )
    def post(self, request, story_id: int, cover_id: int):
        cover = services.cover_select(user=request.user, story_id=story_id, cover_id=cover_id)
        return Response(s.CoverPictureOutput(cover, context={"request": request}).data)
