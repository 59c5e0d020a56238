from django.contrib.auth import views as auth_views
from django.urls import path

from gza.web.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("two-factor/", views.otp_verify, name="otp_verify"),
    path("two-factor/setup/", views.otp_setup, name="otp_setup"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
