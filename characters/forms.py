"""The shape of what the character pages post. Rules about characters (how many
traits, which words, which colours) live in characters/services.py; these forms
only turn form fields into the values the services take."""

from django import forms

from characters import catalogue
from characters.models import Character, RelationshipKind
from characters.services import BACKSTORY_MAX_LENGTH

SWATCH_FIELDS = {
    "hair_colour": catalogue.HAIR_COLOURS,
    "eye_colour": catalogue.EYE_COLOURS,
    "skin_tone": catalogue.SKIN_TONES,
}


class RepeatedTextInputs(forms.Widget):
    """Several text inputs sharing one name; the template draws them."""

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            return data.getlist(name)
        value = data.get(name, [])
        return [value] if isinstance(value, str) else list(value)

    def value_omitted_from_data(self, data, files, name):
        return name not in data


class TextListField(forms.Field):
    """A list of short texts, blanks dropped and spaces tidied."""

    widget = RepeatedTextInputs

    def __init__(self, *, max_items: int, max_length: int, **kwargs):
        self.max_items, self.max_length = max_items, max_length
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        texts = [" ".join(str(text).split()) for text in (value or [])]
        texts = [text for text in texts if text]
        if len(texts) > self.max_items or any(len(text) > self.max_length for text in texts):
            raise forms.ValidationError("That is more text than this field takes.")
        return texts


class DescribedFieldsMixin:
    """Every input points at its hint and its error message, which the templates
    always draw (the error one empty until there is an error)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            auto_id = self[name].auto_id
            ids = [f"{auto_id}_hint"] if field.help_text else []
            field.widget.attrs.setdefault("aria-describedby", " ".join([*ids, f"{auto_id}_error"]))


class WizardStepForm(DescribedFieldsMixin, forms.Form):
    """A wizard step. `strict` is for Next (the step must be complete); Back,
    jumping to another step and autosave keep whatever is there, and leave alone
    the fields a post does not mention."""

    # Back must go through whatever is typed; the server says what is missing.
    use_required_attribute = False

    def __init__(self, *args, strict: bool = False, **kwargs):
        self.strict = strict
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    @classmethod
    def initial_for(cls, character: Character) -> dict:
        return {name: getattr(character, name) for name in cls.base_fields}

    @classmethod
    def bound_to(cls, character: Character) -> "WizardStepForm":
        """The form as the character stands, bound, so that errors can be added."""
        data = {}
        for name, value in cls.initial_for(character).items():
            data[name] = "" if value is None else value
        form = cls(data)
        form.is_valid()
        return form

    def changes(self) -> dict:
        """The character fields this post sets (the valid ones), for character_update."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if not self.fields[name].widget.value_omitted_from_data(self.data, self.files, self.add_prefix(name))
        }


class BasicsForm(WizardStepForm):
    name = forms.CharField(max_length=60, required=False)
    kind = forms.ChoiceField(choices=catalogue.Kind.choices)
    age = forms.IntegerField(
        min_value=0, max_value=1000, required=False, help_text="Leave empty if it does not matter."
    )
    pronouns = forms.ChoiceField(choices=catalogue.Pronouns.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = self.strict
        self.fields["name"].error_messages["required"] = "Give the character a name."


class PersonalityForm(WizardStepForm):
    traits = forms.MultipleChoiceField(choices=[(trait.key, trait.label) for trait in catalogue.TRAITS], required=False)
    custom_traits = TextListField(max_items=catalogue.MAX_CUSTOM_TRAITS, max_length=200)

    @classmethod
    def bound_to(cls, character):
        from django.http import QueryDict

        data = QueryDict(mutable=True)
        data.setlist("traits", list(character.traits or []))
        data.setlist("custom_traits", list(character.custom_traits or []))
        form = cls(data)
        form.is_valid()
        return form

    def trait_count(self) -> int:
        return len(self.chosen_traits()) + len([text for text in self.custom_trait_values() if text.strip()])

    def chosen_traits(self) -> list[str]:
        value = self["traits"].value() or []
        return [str(key) for key in value]

    def custom_trait_values(self) -> list[str]:
        """What each of the custom trait inputs shows, padded to their number."""
        values = [str(text) for text in (self["custom_traits"].value() or [])][: catalogue.MAX_CUSTOM_TRAITS]
        return values + [""] * (catalogue.MAX_CUSTOM_TRAITS - len(values))


class AppearanceForm(WizardStepForm):
    hair_colour = forms.ChoiceField(choices=[("", "Not chosen"), *catalogue.swatch_choices(catalogue.HAIR_COLOURS)])
    eye_colour = forms.ChoiceField(choices=[("", "Not chosen"), *catalogue.swatch_choices(catalogue.EYE_COLOURS)])
    skin_tone = forms.ChoiceField(choices=[("", "Not chosen"), *catalogue.swatch_choices(catalogue.SKIN_TONES)])
    hair_style = forms.ChoiceField(choices=[("", "Not chosen"), *catalogue.HAIR_STYLES])
    clothing = forms.CharField(max_length=200, required=False, help_text='For example "a yellow raincoat".')
    distinctive_features = forms.CharField(
        max_length=200, required=False, help_text='For example "freckles and a gap in her teeth".'
    )

    def swatch_groups(self) -> list[dict]:
        """The colour fields as the template draws them: swatches, which is chosen, errors."""
        labels = {"hair_colour": "Hair colour", "eye_colour": "Eye colour", "skin_tone": "Skin, fur or scales"}
        return [
            {
                "name": name,
                "label": labels[name],
                "swatches": palette,
                "chosen": self[name].value() or "",
                "errors": self[name].errors,
            }
            for name, palette in SWATCH_FIELDS.items()
        ]


class BackgroundForm(WizardStepForm):
    backstory = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=BACKSTORY_MAX_LENGTH,
        required=False,
        help_text="Where they live, who they live with, something that happened to them.",
    )
    likes = forms.CharField(max_length=300, required=False, help_text='For example "puddles, dinosaurs and pancakes".')


class RelationshipForm(DescribedFieldsMixin, forms.Form):
    """One new relationship: "<this character> is <to_character>'s <kind>"."""

    to_character = forms.TypedChoiceField(coerce=int, required=False, label="Other character")
    kind = forms.ChoiceField(choices=RelationshipKind.choices, label="Relationship")
    note = forms.CharField(
        max_length=200, required=False, label="Note (optional)", help_text='"big sister", "since nursery"'
    )

    def __init__(self, *args, others=(), **kwargs):
        super().__init__(*args, prefix="relationship", **kwargs)
        self.fields["to_character"].choices = [("", "Choose a character")] + [
            (other.pk, str(other)) for other in others
        ]

    def is_filled(self) -> bool:
        return bool(self.data.get(self.add_prefix("to_character")))


class PortraitChoiceForm(forms.Form):
    portrait = forms.IntegerField(error_messages={"required": "Choose one of the portraits first."})


class PortraitUploadForm(DescribedFieldsMixin, forms.Form):
    file = forms.FileField(
        label="Picture file",
        help_text="A PNG, JPEG, WebP or GIF picture, up to 5 MB.",
        error_messages={"required": "Choose a picture to upload.", "empty": "That file is empty."},
    )


class GalleryFilterForm(DescribedFieldsMixin, forms.Form):
    q = forms.CharField(max_length=60, required=False, label="Search by name")
    kind = forms.ChoiceField(choices=[("", "All kinds"), *catalogue.Kind.choices], required=False, label="Kind")
    status = forms.ChoiceField(
        choices=[("", "Ready and drafts"), *Character.Status.choices], required=False, label="Status"
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {
            "text": self.cleaned_data["q"],
            "kind": self.cleaned_data["kind"],
            "status": self.cleaned_data["status"],
        }


class CardImportForm(forms.Form):
    file = forms.FileField(
        label="Character card",
        help_text="A Character Card V2 file (.json) or a card picture (.png) from StoryForge or another tool.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json,image/png"}),
    )
