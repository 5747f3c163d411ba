"""Input and output shapes of the accounts API: signing up, tokens, profile, usage."""

from rest_framework import serializers

from accounts.models import ApiToken, User
from storyforge.core.api_schema import TextField
from storyforge.core.reading import AgeGroup, Language, TextSize


class UserRegisterInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, trim_whitespace=False, style={"input_type": "password"})
    invite = serializers.CharField(
        required=False,
        max_length=100,
        help_text="The code of an invite link, where this server's sign-up needs one (STORYFORGE_SIGNUP=invite).",
    )


class UserOutput(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "email",
            "first_name",
            "last_name",
            "default_age_group",
            "language",
            "text_size",
            "date_joined",
        ]
        read_only_fields = fields


class ProfileUpdateInput(serializers.Serializer):
    """Every field is optional: send only what changes."""

    email = serializers.EmailField(required=False)
    first_name = TextField(required=False, allow_blank=True, max_length=150)
    last_name = TextField(required=False, allow_blank=True, max_length=150)
    default_age_group = serializers.ChoiceField(choices=AgeGroup.choices, required=False)
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    text_size = serializers.ChoiceField(choices=TextSize.choices, required=False)


class AccountDeleteInput(serializers.Serializer):
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


class PasswordChangeInput(serializers.Serializer):
    old_password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    new_password = serializers.CharField(
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text="At least 8 characters, not only numbers, not a common password.",
    )


class TokenObtainInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    name = serializers.CharField(
        required=False, max_length=100, help_text="What the token is for, to tell it apart later (default 'API')."
    )


class TokenObtainOutput(serializers.Serializer):
    token = serializers.CharField(help_text="The key: send it as `Authorization: Token <key>`. Shown only once.")


class ApiTokenOutput(serializers.ModelSerializer):
    expires_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When the token stops working (STORYFORGE_TOKEN_DAYS after it was made), or null: until revoked.",
    )

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "expires_at"]
        read_only_fields = fields


class ApiTokenCreateInput(serializers.Serializer):
    name = TextField(max_length=100, required=False, help_text="Default 'API'.")


class ApiTokenCreatedOutput(ApiTokenOutput):
    key = serializers.SerializerMethodField(help_text="Shown only in this answer: StoryForge keeps only a digest.")

    class Meta(ApiTokenOutput.Meta):
        fields = [*ApiTokenOutput.Meta.fields, "key"]
        read_only_fields = fields

    def get_key(self, token) -> str:
        return self.context["key"]


class UsagePeriodOutput(serializers.Serializer):
    tokens = serializers.IntegerField(help_text="AI text tokens, prompt and completion.")
    cost = serializers.DecimalField(max_digits=14, decimal_places=6, help_text="US dollars.")
    generations = serializers.IntegerField(help_text="Generations asked for (portraits, stories, regenerations).")


class UsageOutput(serializers.Serializer):
    today = UsagePeriodOutput(help_text="Since midnight UTC.")
    month = UsagePeriodOutput(help_text="Since the first of the month, UTC.")
    daily_budget = serializers.DecimalField(max_digits=14, decimal_places=6, help_text="US dollars a day.")
    remaining_budget = serializers.DecimalField(
        max_digits=14, decimal_places=6, help_text="US dollars left today: the budget less what is spent and held."
    )
    reserved_budget = serializers.DecimalField(
        max_digits=14,
        decimal_places=6,
        help_text="US dollars held today for work asked for and not finished yet (its estimate).",
    )
    generations_remaining = serializers.IntegerField(help_text="Generations left today.")
    resets_at = serializers.DateTimeField(help_text="When today's figures start again (midnight UTC).")

    def to_representation(self, usage):
        return super().to_representation(
            {
                "today": {
                    "tokens": usage.tokens_today,
                    "cost": usage.cost_today,
                    "generations": usage.generations_today,
                },
                "month": {
                    "tokens": usage.tokens_month,
                    "cost": usage.cost_month,
                    "generations": usage.generations_month,
                },
                "daily_budget": usage.daily_budget,
                "remaining_budget": usage.remaining_budget,
                "reserved_budget": usage.reserved_today,
                "generations_remaining": usage.generations_remaining,
                "resets_at": usage.day_ends_at,
            }
        )
