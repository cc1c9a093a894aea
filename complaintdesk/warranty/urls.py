app_name = "warranty"
urlpatterns = []
