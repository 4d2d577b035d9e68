app_name = "establishments"
urlpatterns = []
