"""The stories API: stories and their generation, pages, pictures, series and jobs."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from stories import selectors, services
from stories import serializers as s
from stories.export import BOOK_FORMATS, PDF_LAYOUTS, TRIM_SIZES, book_export
from stories.export.background import EXPORT_RETRY_SECONDS, book_export_offered
from stories.filters import StoryFilter
from stories.models import Series, Story
from storyforge.core.api import ApiUserRateThrottle, FormatParameterNegotiation, GenerationRateThrottle
from storyforge.core.api_schema import WholeBodyPatchSchema, error_responses
from storyforge.core.downloads import download_response

# Endpoints that start a generation: counted against RATE_LIMITS["generation_user"] (POSTs only).
GENERATION_THROTTLES = [ApiUserRateThrottle, GenerationRateThrottle]


class StoryListApi(GenericAPIView):
    queryset = Story.objects.none()  # the model, for the schema; get_queryset() reads the user's own
    filterset_class = StoryFilter
    throttle_classes = GENERATION_THROTTLES
    # What a POST reads: DRF's OPTIONS answer and browsable page describe it (without one, a 500).
    serializer_class = s.StoryCreateInput

    def get_queryset(self):
        return selectors.story_list(user=self.request.user).prefetch_related(selectors.cover_prefetch())

    @extend_schema(tags=["stories"], responses={200: s.StoryOutput(many=True), **error_responses(400, 404)})
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.StoryOutput(page, many=True, context={"request": request}).data)

    @extend_schema(
        tags=["stories"],
        summary="Create a story and start its generation",
        description="Saves the brief and queues the story (status `queued`); follow `job` at /api/v1/jobs/{id}/ "
        "or the story's status, then read its pages.",
        request=s.StoryCreateInput,
        responses={202: s.StoryCreatedOutput, **error_responses(400, 404, 422, 503)},
    )
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        brief = dict(serializer.validated_data)
        story, job = services.story_create(user=request.user, series_id=brief.pop("series", None), **brief)
        return Response(s.StoryCreatedOutput(story, context={"job": job}).data, status=status.HTTP_202_ACCEPTED)


class StoryDetailApi(APIView):
    @extend_schema(tags=["stories"], responses={200: s.StoryDetailOutput, **error_responses(404)})
    def get(self, request, story_id: int):
        story = selectors.story_book_get(user=request.user, story_id=story_id)
        return Response(s.StoryDetailOutput(story, context={"request": request}).data)

    @extend_schema(
        tags=["stories"],
        summary="Change a story's title and front matter",
        description="The title, subtitle, author name (empty: your display name) and dedication (empty: no "
        "dedication page); the fields left out stay as they are. Every new word is moderated (422).",
        request=s.StoryUpdateInput,
        responses={200: s.StoryDetailOutput, **error_responses(400, 404, 422)},
    )
    def patch(self, request, story_id: int):
        serializer = s.StoryUpdateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.story_update(user=request.user, story_id=story_id, **serializer.validated_data)
        story = selectors.story_book_get(user=request.user, story_id=story_id)
        return Response(s.StoryDetailOutput(story, context={"request": request}).data)

    @extend_schema(tags=["stories"], responses={204: None, **error_responses(404)})
    def delete(self, request, story_id: int):
        services.story_delete(user=request.user, story_id=story_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class StoryRetryApi(APIView):
    throttle_classes = GENERATION_THROTTLES

    @extend_schema(
        tags=["stories"],
        summary="Retry a failed story",
        description="Asks again for what a failed story is missing: its text, or the pictures of pages without one.",
        request=None,
        responses={202: s.StoryRetryOutput, **error_responses(404, 409, 503)},
    )
    def post(self, request, story_id: int):
        jobs = services.story_retry(user=request.user, story_id=story_id)
        return Response(s.StoryRetryOutput({"jobs": jobs}).data, status=status.HTTP_202_ACCEPTED)


class StoryCancelApi(APIView):
    @extend_schema(
        tags=["stories"],
        summary="Stop a story being made",
        description="Cancels the story's queued jobs and drops the results of AI calls already running; the pages "
        "already made stay. The story's status becomes `failed` with `error_code` STORY_CANCELLED; retry finishes "
        "it. A story that is not being made is a 409 CONFLICT.",
        request=None,
        responses={200: s.StoryOutput, **error_responses(404, 409)},
    )
    def post(self, request, story_id: int):
        services.story_cancel(user=request.user, story_id=story_id)
        story = selectors.story_list(user=request.user).get(pk=story_id)
        return Response(s.StoryOutput(story, context={"request": request}).data)


class StoryNarrationApi(APIView):
    throttle_classes = GENERATION_THROTTLES

    def get_throttles(self):
        return [] if self.request.method == "GET" else super().get_throttles()

    @extend_schema(
        tags=["stories"],
        summary="How far a story's narration is",
        responses={200: s.NarrationOutput, **error_responses(404)},
    )
    def get(self, request, story_id: int):
        story = selectors.story_book_get(user=request.user, story_id=story_id)
        return Response(s.NarrationOutput(services.narration_state(story=story)).data)

    @extend_schema(
        tags=["stories"],
        summary="Read a story aloud",
        description="Narrates every page of a ready story that has no narration for its current text, a clip per "
        "sentence, as jobs (one a page). Pages already narrated are kept.",
        request=None,
        responses={202: s.NarrationOutput, **error_responses(404, 409, 429, 503)},
    )
    def post(self, request, story_id: int):
        jobs = services.story_narrate(user=request.user, story_id=story_id)
        story = selectors.story_book_get(user=request.user, story_id=story_id)
        state = services.narration_state(story=story) | {"jobs": jobs}
        return Response(s.NarrationOutput(state).data, status=status.HTTP_202_ACCEPTED)


class PageDetailApi(APIView):
    schema = WholeBodyPatchSchema()  # a PATCH here needs its text

    @extend_schema(
        tags=["stories"],
        summary="Edit a page's text",
        request=s.PageUpdateInput,
        responses={200: s.PageOutput, **error_responses(400, 404, 409, 422)},
    )
    def patch(self, request, story_id: int, number: int):
        serializer = s.PageUpdateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        page = services.page_text_update(
            user=request.user, story_id=story_id, number=number, **serializer.validated_data
        )
        return Response(s.PageOutput(page, context={"request": request}).data)

    @extend_schema(
        tags=["stories"],
        summary="Remove a page",
        description="Removes the page with its pictures and narration; the pages after it move one back.",
        parameters=[s.PageDeleteInput],
        responses={204: None, **error_responses(400, 404, 409)},
    )
    def delete(self, request, story_id: int, number: int):
        serializer = s.PageDeleteInput(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        services.page_remove(user=request.user, story_id=story_id, number=number, **serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PageRegenerateApi(APIView):
    throttle_classes = GENERATION_THROTTLES

    @extend_schema(
        tags=["stories"],
        summary="Regenerate a page's text or picture",
        description="A new text replaces the page's; a new picture is added to its candidates.",
        request=s.PageRegenerateInput,
        responses={202: s.JobOutput, **error_responses(400, 404, 409, 503)},
    )
    def post(self, request, story_id: int, number: int):
        serializer = s.PageRegenerateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = services.page_regenerate(
            user=request.user, story_id=story_id, number=number, what=serializer.validated_data["what"]
        )
        return Response(s.JobOutput(job).data, status=status.HTTP_202_ACCEPTED)


class IllustrationSelectApi(APIView):
    @extend_schema(
        tags=["stories"],
        summary="Choose a page's picture",
        request=None,
        responses={200: s.IllustrationOutput, **error_responses(404)},
    )
    def post(self, request, story_id: int, number: int, illustration_id: int):
        illustration = services.illustration_select(
            user=request.user, story_id=story_id, number=number, illustration_id=illustration_id
        )
        return Response(s.IllustrationOutput(illustration, context={"request": request}).data)


class SeriesListApi(GenericAPIView):
    queryset = Series.objects.none()
    filter_backends = []
    serializer_class = s.SeriesCreateInput

    def get_queryset(self):
        return selectors.series_list(user=self.request.user)

    @extend_schema(tags=["series"], responses={200: s.SeriesOutput(many=True), **error_responses(400, 404)})
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.SeriesOutput(page, many=True).data)

    @extend_schema(
        tags=["series"], request=s.SeriesCreateInput, responses={201: s.SeriesOutput, **error_responses(400)}
    )
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        series = services.series_create(user=request.user, **serializer.validated_data)
        series = selectors.series_get(user=request.user, series_id=series.pk)  # with its story count
        return Response(s.SeriesOutput(series).data, status=status.HTTP_201_CREATED)


class SeriesDetailApi(APIView):
    def _detail(self, request, series_id: int) -> Response:
        series = selectors.series_get(user=request.user, series_id=series_id)
        stories = selectors.series_stories(series=series)
        return Response(s.SeriesDetailOutput(series, context={"stories": stories, "request": request}).data)

    @extend_schema(tags=["series"], responses={200: s.SeriesDetailOutput, **error_responses(404)})
    def get(self, request, series_id: int):
        return self._detail(request, series_id)

    @extend_schema(
        tags=["series"], request=s.SeriesUpdateInput, responses={200: s.SeriesDetailOutput, **error_responses(400, 404)}
    )
    def patch(self, request, series_id: int):
        serializer = s.SeriesUpdateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.series_update(user=request.user, series_id=series_id, **serializer.validated_data)
        return self._detail(request, series_id)

    @extend_schema(
        tags=["series"],
        description="Deletes the series; its stories stay, no longer numbered in it.",
        responses={204: None, **error_responses(404)},
    )
    def delete(self, request, series_id: int):
        services.series_delete(user=request.user, series_id=series_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class StoryExportApi(APIView):
    content_negotiation_class = FormatParameterNegotiation

    @extend_schema(
        tags=["stories"],
        summary="Download a finished book",
        description=(
            "The book as a print-ready PDF (`size`: square 8x8 in, a4, letter or a5; `bleed=1` adds 0.125 in bleed "
            "with crop marks; `layout=booklet` imposes the pages two to a landscape sheet, A4 for a4 and a5, US "
            "Letter for letter and square, in saddle-stitch order: print double-sided, flip on the short edge, fold "
            "in half, staple in the middle; a booklet has no bleed), a reflowable EPUB 3 (`narrated=1`: a read-along EPUB whose media overlays read "
            "each sentence aloud and highlight it), or an MP3 audiobook of the narration. The read-along EPUB "
            "and the MP3 answer 409 until every page is narrated. With `Prefer: respond-async` (RFC 7240) the PDF "
            "or MP3 of a book longer than eight pages is made on the `cpu` worker instead of in this request: "
            "`202` with `Retry-After` until it is kept, then the file at the same address."
        ),
        parameters=[
            OpenApiParameter("format", str, enum=list(BOOK_FORMATS), default="pdf"),
            OpenApiParameter("size", str, enum=list(TRIM_SIZES), default="square"),
            OpenApiParameter("bleed", bool, default=False),
            OpenApiParameter("layout", str, enum=list(PDF_LAYOUTS), default="book", description="PDF only."),
            OpenApiParameter("narrated", bool, default=False, description="EPUB only: with media overlays."),
        ],
        responses={
            **{(200, content_type): OpenApiTypes.BINARY for content_type in BOOK_FORMATS.values()},
            202: s.ExportMakingOutput,
            **error_responses(400, 404, 409, 502),
        },
    )
    def get(self, request, story_id: int):
        serializer = s.StoryExportInput(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        if "respond-async" not in request.headers.get("Prefer", ""):
            return download_response(book_export(user=request.user, story_id=story_id, **serializer.validated_data))
        book = book_export_offered(user=request.user, story_id=story_id, **serializer.validated_data)
        if book is not None:
            return download_response(book)
        headers = {"Retry-After": str(EXPORT_RETRY_SECONDS), "Preference-Applied": "respond-async"}
        body = {"status": "making", "retry_after": EXPORT_RETRY_SECONDS}
        return Response(s.ExportMakingOutput(body).data, status=status.HTTP_202_ACCEPTED, headers=headers)
