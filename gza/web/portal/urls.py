from django.urls import path

from gza.web.portal import eligibility, privacy, profile, registration, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("me/", views.me, name="me"),
    path("me/profile/", profile.profile_resume, name="profile"),
    path("me/profile/documents/new/", profile.document_add, name="profile_document_add"),
    path("me/profile/documents/<int:pk>/", profile.document_download, name="profile_document"),
    path(
        "me/profile/documents/<int:pk>/remove/",
        profile.document_remove,
        name="profile_document_remove",
    ),
    path("me/profile/<slug:step>/", profile.profile_step, name="profile_step"),
    path("me/consents/", privacy.consents, name="consents"),
    path("me/consents/<slug:purpose>/give/", privacy.consent_give_view, name="consent_give"),
    path(
        "me/consents/<slug:purpose>/withdraw/",
        privacy.consent_withdraw_view,
        name="consent_withdraw",
    ),
    path("me/privacy/", privacy.privacy, name="privacy"),
    path("me/privacy/download/", privacy.privacy_download, name="privacy_download"),
    path("me/privacy/deletion/", privacy.deletion_request, name="deletion_request"),
    path("me/eligibility/", eligibility.eligibility, name="eligibility"),
    path("me/eligibility/<int:pk>/", eligibility.eligibility_check, name="eligibility_check"),
    path("register/", registration.register_start, name="register"),
    path("register/confirm/", registration.register_confirm, name="register_confirm"),
    path("register/details/", registration.register_details, name="register_details"),
    path("register/done/", registration.register_done, name="register_done"),
    path("sign-in/", registration.sign_in, name="sign_in"),
    path("sign-in/code/", registration.sign_in_code, name="sign_in_confirm"),
    path("me/password/", registration.set_password, name="set_password"),
]
