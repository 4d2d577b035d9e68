from django.urls import path

from . import views

app_name = "dataio"
urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("upload/<str:token>/", views.preview, name="preview"),
    path("upload/<str:token>/errors.csv", views.preview_errors, name="preview_errors"),
    path("upload/<str:token>/confirm/", views.confirm, name="confirm"),
    path("upload/<str:token>/cancel/", views.cancel, name="cancel"),
    path("history/", views.history, name="history"),
    path("template/<str:kind>.<str:fmt>", views.template_download, name="template"),
    path("export/<str:kind>.<str:fmt>", views.export, name="export"),
]
