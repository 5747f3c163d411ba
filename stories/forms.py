from django import forms

from stories.models import MAX_PAGES, MIN_PAGES, ArtStyle, StoryCharacter, Tone
from storyforge.core.reading import AgeGroup, Language

ROLE_CHOICES = [("", "Not in this story"), *StoryCharacter.Role.choices]


class StoryBriefForm(forms.Form):
    """The story studio's brief. Each of the user's ready characters gets a role
    field `role_<id>`; the service checks the cast (1 to 4, owned, ready)."""

    title = forms.CharField(
        required=False, max_length=200, help_text="Leave empty and the storyteller will choose one."
    )
    series = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Continue a series")
    age_group = forms.ChoiceField(choices=AgeGroup.choices, label="Age group")
    page_count = forms.IntegerField(min_value=MIN_PAGES, max_value=MAX_PAGES, initial=8, label="Pages")
    tone = forms.ChoiceField(choices=Tone.choices)
    moral = forms.CharField(required=False, max_length=200, help_text='For example "Sharing makes play more fun."')
    setting = forms.CharField(required=False, max_length=200, label="Setting or theme", help_text='"A windy beach"')
    language = forms.ChoiceField(choices=Language.choices)
    art_style = forms.ChoiceField(choices=ArtStyle.choices, label="Art style")

    def __init__(self, *args, characters=(), series_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.characters = list(characters)
        self.fields["series"].choices = [("", "No series: a new story"), *series_choices]
        for character in self.characters:
            # Radios, not a drop-down: the studio draws each character as a card with its
            # portrait, and the roles as choices on it.
            self.fields[f"role_{character.pk}"] = forms.ChoiceField(
                choices=ROLE_CHOICES,
                required=False,
                label=character.name,
                widget=forms.RadioSelect(attrs={"class": "role-input"}),
            )

    def role_fields(self):
        return [(character, self[f"role_{character.pk}"]) for character in self.characters]

    def cast(self) -> list[dict]:
        chosen = []
        for character in self.characters:
            role = self.cleaned_data.get(f"role_{character.pk}")
            if role:
                chosen.append({"character": character.pk, "role": role})
        return chosen
