"""The stories API's page shaping: adding a page, putting the pages in a new order,
and a page's earlier texts (removing a page is a DELETE on the page, in stories/api.py)."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from stories import selectors, services
from stories import serializers as s
from stories.api import GENERATION_THROTTLES
from storyforge.core.api_schema import error_responses


class PageListApi(APIView):
    throttle_classes = GENERATION_THROTTLES

    @extend_schema(
        tags=["stories"],
        summary="Add a page",
        description="A new page at `position` of a finished book: blank for you to write, or written by the AI to fit "
        "between its neighbours and then illustrated (`job`; it counts against the daily limits).",
        request=s.PageCreateInput,
        responses={201: s.PageCreatedOutput, **error_responses(400, 404, 409, 422, 503)},
    )
    def post(self, request, story_id: int):
        selectors.story_get(user=request.user, story_id=story_id)  # someone else's book: 404 before any 400
        serializer = s.PageCreateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        page, job = services.page_add(user=request.user, story_id=story_id, **serializer.validated_data)
        output = s.PageCreatedOutput({"page": page, "job": job}, context={"request": request})
        return Response(output.data, status=status.HTTP_201_CREATED)


class PageReorderApi(APIView):
    @extend_schema(
        tags=["stories"],
        summary="Put the pages in a new order",
        request=s.PageReorderInput,
        responses={200: s.StoryDetailOutput, **error_responses(400, 404, 409)},
    )
    def post(self, request, story_id: int):
        selectors.story_get(user=request.user, story_id=story_id)  # someone else's book: 404 before any 400
        serializer = s.PageReorderInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.pages_reorder(user=request.user, story_id=story_id, order=serializer.validated_data["order"])
        story = selectors.story_book_get(user=request.user, story_id=story_id)
        return Response(s.StoryDetailOutput(story, context={"request": request}).data)


class PageHistoryApi(APIView):
    @extend_schema(
        tags=["stories"],
        summary="A page's earlier texts",
        responses={200: s.PageHistoryOutput, **error_responses(404)},
    )
    def get(self, request, story_id: int, number: int):
        page, revisions = services.page_history(user=request.user, story_id=story_id, number=number)
        history = {"number": page.number, "version": page.version, "text": page.text, "revisions": revisions}
        return Response(s.PageHistoryOutput(history).data)


class PageRestoreApi(APIView):
    @extend_schema(
        tags=["stories"],
        summary="Put an earlier text back on a page",
        description="The earlier text becomes the page's new version; the text it replaces joins the history.",
        request=None,
        responses={200: s.PageOutput, **error_responses(404)},
    )
    def post(self, request, story_id: int, number: int, version: int):
        page = services.page_restore(user=request.user, story_id=story_id, number=number, version=version)
        page = selectors.page_get(user=request.user, story_id=story_id, number=page.number)
        return Response(s.PageOutput(page, context={"request": request}).data)
