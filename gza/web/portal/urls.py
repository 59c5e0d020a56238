from django.urls import path

from gza.web.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("me/", views.me, name="me"),
]
