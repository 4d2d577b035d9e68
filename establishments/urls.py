from django.urls import path

from . import views, views_closing

app_name = "establishments"
urlpatterns = [
    path("", views.establishment_list, name="list"),
    path("new/", views.establishment_create, name="create"),
    path("measures/", views.measure_list, name="measure_list"),
    path("assistance/", views.assistance_list, name="assistance_list"),
    path("closed-years/", views_closing.closed_years, name="closed_years"),
    path("closed-years/<int:year>/reopen/", views_closing.closed_year_reopen, name="closed_year_reopen"),
    path("<str:code>/", views.establishment_detail, name="detail"),
    path("<str:code>/edit/", views.establishment_edit, name="edit"),
    path("<str:code>/close/", views.establishment_close, name="close"),
    path("<str:code>/measures/new/", views.measure_edit, name="measure_create"),
    path("<str:code>/measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
    path("<str:code>/assistance/new/", views.assistance_edit, name="assistance_create"),
    path("<str:code>/assistance/<int:pk>/edit/", views.assistance_edit, name="assistance_edit"),
]
