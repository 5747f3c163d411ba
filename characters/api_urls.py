from django.urls import path

from characters import api

urlpatterns = [
    path("characters/", api.CharacterListApi.as_view(), name="character-list"),
    path("characters/import/", api.CharacterImportApi.as_view(), name="character-import"),
    path("characters/<id:character_id>/", api.CharacterDetailApi.as_view(), name="character-detail"),
    path("characters/<id:character_id>/card/", api.CharacterCardApi.as_view(), name="character-card"),
    path("characters/<id:character_id>/portraits/", api.PortraitListApi.as_view(), name="portrait-list"),
    path("characters/<id:character_id>/portraits/upload/", api.PortraitUploadApi.as_view(), name="portrait-upload"),
    path(
        "characters/<id:character_id>/portraits/<id:portrait_id>/select/",
        api.PortraitSelectApi.as_view(),
        name="portrait-select",
    ),
    path("relationships/", api.RelationshipListApi.as_view(), name="relationship-list"),
    path("relationships/<id:relationship_id>/", api.RelationshipDetailApi.as_view(), name="relationship-detail"),
]
