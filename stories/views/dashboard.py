from django.shortcuts import render

from stories.selectors import dashboard_data


def home(request):
    """The dashboard for a signed-in grown-up; a landing page for everyone else."""
    if not request.user.is_authenticated:
        return render(request, "landing.html")
    return render(request, "dashboard.html", dashboard_data(user=request.user))
