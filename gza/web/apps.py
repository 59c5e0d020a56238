from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "gza.web"
    label = "web"
