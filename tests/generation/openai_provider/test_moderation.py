"""Moderation: flagged text with its categories, harmless text, and nothing asked
when there is nothing to moderate."""


def test_flagged_text_is_reported_with_its_categories(provider, fake_openai, settings):
    settings.OPENAI_MODERATION_MODEL = "moderation-model"
    fake_openai.flag_categories = ("violence", "harassment")

    result = provider.moderate(["A nice day.", "Something FLAGME here."])

    assert result.flagged
    assert result.categories == ("harassment", "violence")
    (request,) = fake_openai.requests_for("moderations")
    assert request.json == {"model": "moderation-model", "input": ["A nice day.", "Something FLAGME here."]}


def test_harmless_text_is_not_flagged(provider):
    result = provider.moderate(["Mia and Pip share a picnic."])

    assert not result.flagged
    assert result.categories == ()


def test_nothing_to_moderate_asks_nothing(provider, fake_openai):
    assert not provider.moderate(["", "   "]).flagged
    assert fake_openai.requests == []
