from django.conf import settings


def casework(request):
    """Values every page may show."""
    return {"casework_demo": not settings.PRODUCTION}
