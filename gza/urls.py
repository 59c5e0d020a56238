from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/", include("gza.api.urls")),
    path("admin/", admin.site.urls),
]

# Every page people read is under /ka/ or /en/, so a link always shows one language.
urlpatterns += i18n_patterns(
    path("", include("gza.web.portal.urls")),
    path("accounts/", include("gza.web.accounts.urls")),
    path("workspace/", include("gza.web.workspace.urls")),
)

admin.site.site_header = "Gza"
admin.site.site_title = "Gza"
