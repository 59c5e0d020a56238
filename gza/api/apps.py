from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "gza.api"
    label = "api"
