from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views
from storyforge.core import converters  # noqa: F401 - registers <id:...>
from storyforge.core.ratelimit import rate_limit

urlpatterns = [
    path("", views.account, name="account"),
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tokens/", views.token_create, name="token_create"),
    path("tokens/<id:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("delete/", views.account_delete, name="account_delete"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # Each reset sends an e-mail: limited per address and per e-mail address asked for.
    path(
        "password/reset/",
        rate_limit("reset_ip", key="ip")(
            rate_limit("reset_email", key="email")(auth_views.PasswordResetView.as_view())
        ),
        name="password_reset",
    ),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
