from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    # Events, with the attendance recorded at each.
    path("", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<str:code>/", views.event_detail, name="event_detail"),
    path("events/<str:code>/edit/", views.event_edit, name="event_edit"),
    path("events/<str:code>/attendance/", views.attendance_add, name="attendance_add"),
    # One attendance: removed, or marked (not) completed.
    path("attendance/<int:pk>/remove/", views.attendance_remove, name="attendance_remove"),
    path("attendance/<int:pk>/completion/", views.attendance_completion, name="attendance_completion"),
    # People (government staff and the establishments' staff).
    path("people/", views.person_list, name="person_list"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    # Staff headcounts of the government side, per year (the denominators of the staff indicators).
    path("headcounts/", views.headcount_list, name="headcount_list"),
    path("headcounts/new/", views.headcount_create, name="headcount_create"),
    path("headcounts/<int:year>/", views.headcount_edit, name="headcount_edit"),
]
