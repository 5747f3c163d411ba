from django.shortcuts import render

from characters.selectors import character_list
from stories.selectors import story_list


def home(request):
    """The dashboard for a signed-in grown-up; a landing page for everyone else."""
    if not request.user.is_authenticated:
        return render(request, "landing.html")
    context = {
        "characters": character_list(user=request.user)[:8],
        "stories": story_list(user=request.user)[:8],
    }
    return render(request, "dashboard.html", context)
