"""The characters API: characters, their portraits, and their relationships."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from characters import selectors, services
from characters import serializers as s
from characters.cards import character_card_download, character_card_import
from characters.filters import CharacterFilter, RelationshipFilter
from characters.models import Character, Portrait, Relationship
from storyforge.core.api import ApiUserRateThrottle, FormatParameterNegotiation, GenerationRateThrottle
from storyforge.core.api_schema import NoInput, error_responses
from storyforge.core.downloads import download_response
from storyforge.generation.serializers import JobOutput

TAGS = ["characters"]


class CharacterListApi(GenericAPIView):
    queryset = Character.objects.none()  # the model, for the schema; get_queryset() reads the user's own
    filterset_class = CharacterFilter
    # What a POST reads: DRF's OPTIONS answer and browsable page describe it (without one, a 500).
    serializer_class = s.CharacterCreateInput

    def get_serializer_class(self):
        if self.request is not None and self.request.method == "POST":
            return s.character_input_for(self.request.data)
        return self.serializer_class

    def get_queryset(self):
        return selectors.character_list(user=self.request.user)

    @extend_schema(tags=TAGS, responses={200: s.CharacterOutput(many=True), **error_responses(400, 404)})
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.CharacterOutput(page, many=True, context={"request": request}).data)

    @extend_schema(
        tags=TAGS,
        description="A ready character needs `name` and `traits`; a draft (`status: draft`) may be incomplete.",
        request=s.CharacterCreateBody,
        responses={201: s.CharacterOutput, **error_responses(400)},
    )
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        character = services.character_create(user=request.user, **serializer.validated_data)
        return Response(s.CharacterOutput(character, context={"request": request}).data, status=status.HTTP_201_CREATED)


class CharacterDetailApi(APIView):
    @extend_schema(tags=TAGS, responses={200: s.CharacterOutput, **error_responses(404)})
    def get(self, request, character_id: int):
        character = selectors.character_get(user=request.user, character_id=character_id)
        return Response(s.CharacterOutput(character, context={"request": request}).data)

    @extend_schema(
        tags=TAGS, request=s.CharacterUpdateInput, responses={200: s.CharacterOutput, **error_responses(400, 404)}
    )
    def patch(self, request, character_id: int):
        serializer = s.CharacterUpdateInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        character = services.character_update(user=request.user, character_id=character_id, **serializer.validated_data)
        return Response(s.CharacterOutput(character, context={"request": request}).data)

    @extend_schema(tags=TAGS, responses={204: None, **error_responses(404)})
    def delete(self, request, character_id: int):
        services.character_delete(user=request.user, character_id=character_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PortraitListApi(GenericAPIView):
    """GET: the character's portrait candidates, newest first. POST: draw new candidates."""

    queryset = Portrait.objects.none()
    filter_backends = []
    serializer_class = NoInput  # a POST takes no body
    throttle_classes = [ApiUserRateThrottle, GenerationRateThrottle]  # the latter counts POSTs only

    def get_queryset(self):
        return selectors.portrait_list(user=self.request.user, character_id=self.kwargs["character_id"])

    @extend_schema(tags=TAGS, responses={200: s.PortraitOutput(many=True), **error_responses(400, 404)})
    def get(self, request, character_id: int):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.PortraitOutput(page, many=True, context={"request": request}).data)

    @extend_schema(
        tags=TAGS,
        summary="Draw portrait candidates",
        description="Starts drawing a set of portrait candidates; follow the job at /api/v1/jobs/{id}/.",
        request=None,
        responses={202: JobOutput, **error_responses(404, 422, 503)},
    )
    def post(self, request, character_id: int):
        job = services.portrait_generate(user=request.user, character_id=character_id)
        return Response(JobOutput(job).data, status=status.HTTP_202_ACCEPTED)


class PortraitSelectApi(APIView):
    @extend_schema(tags=TAGS, request=None, responses={200: s.PortraitOutput, **error_responses(404)})
    def post(self, request, character_id: int, portrait_id: int):
        portrait = services.portrait_select(user=request.user, character_id=character_id, portrait_id=portrait_id)
        return Response(s.PortraitOutput(portrait, context={"request": request}).data)


class PortraitUploadApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=TAGS,
        summary="Upload a portrait",
        description="Your own picture becomes the character's selected portrait (re-encoded as PNG).",
        request={"multipart/form-data": s.PortraitUploadInput},
        responses={201: s.PortraitOutput, **error_responses(400, 404)},
    )
    def post(self, request, character_id: int):
        serializer = s.PortraitUploadInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        portrait = services.portrait_upload(
            user=request.user, character_id=character_id, upload=serializer.validated_data["file"]
        )
        return Response(s.PortraitOutput(portrait, context={"request": request}).data, status=status.HTTP_201_CREATED)


class RelationshipListApi(GenericAPIView):
    queryset = Relationship.objects.none()
    filterset_class = RelationshipFilter
    serializer_class = s.RelationshipCreateInput

    def get_queryset(self):
        return selectors.relationship_list(user=self.request.user)

    @extend_schema(tags=TAGS, responses={200: s.RelationshipOutput(many=True), **error_responses(400, 404)})
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.RelationshipOutput(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        request=s.RelationshipCreateInput,
        responses={201: s.RelationshipOutput, **error_responses(400, 404, 409)},
    )
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        relationship = services.relationship_create(
            user=request.user,
            from_character_id=data["from_character"],
            to_character_id=data["to_character"],
            kind=data["kind"],
            note=data.get("note", ""),
        )
        return Response(s.RelationshipOutput(relationship).data, status=status.HTTP_201_CREATED)


class RelationshipDetailApi(APIView):
    @extend_schema(tags=TAGS, responses={200: s.RelationshipOutput, **error_responses(404)})
    def get(self, request, relationship_id: int):
        relationship = selectors.relationship_get(user=request.user, relationship_id=relationship_id)
        return Response(s.RelationshipOutput(relationship).data)

    @extend_schema(
        tags=TAGS, request=s.RelationshipUpdateInput, responses={200: s.RelationshipOutput, **error_responses(400, 404)}
    )
    def patch(self, request, relationship_id: int):
        serializer = s.RelationshipUpdateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        relationship = services.relationship_update(
            user=request.user, relationship_id=relationship_id, **serializer.validated_data
        )
        return Response(s.RelationshipOutput(relationship).data)

    @extend_schema(tags=TAGS, responses={204: None, **error_responses(404)})
    def delete(self, request, relationship_id: int):
        services.relationship_delete(user=request.user, relationship_id=relationship_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CharacterCardApi(APIView):
    content_negotiation_class = FormatParameterNegotiation

    @extend_schema(
        tags=TAGS,
        summary="Export a Character Card V2",
        description=(
            "The character as a Character Card V2 (`spec: chara_card_v2`), as JSON or as a PNG portrait carrying the "
            "card in a `chara` text chunk. StoryForge's own fields are under `data.extensions.storyforge`."
        ),
        parameters=[OpenApiParameter("format", str, enum=["json", "png"], default="json")],
        responses={
            (200, "application/json"): OpenApiTypes.OBJECT,
            (200, "image/png"): OpenApiTypes.BINARY,
            **error_responses(400, 404),
        },
    )
    def get(self, request, character_id: int):
        query = s.CharacterCardQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        card = character_card_download(user=request.user, character_id=character_id, **query.validated_data)
        return download_response(card)


class CharacterImportApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=TAGS,
        summary="Import a Character Card V2",
        description="A card written by StoryForge or another tool becomes a new character (JSON or PNG).",
        request={"multipart/form-data": s.CharacterImportInput},
        responses={201: s.CharacterOutput, **error_responses(400)},
    )
    def post(self, request):
        serializer = s.CharacterImportInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        character = character_card_import(user=request.user, upload=serializer.validated_data["file"])
        return Response(s.CharacterOutput(character, context={"request": request}).data, status=status.HTTP_201_CREATED)
