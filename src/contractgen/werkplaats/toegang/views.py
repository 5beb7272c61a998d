from django.shortcuts import render


def niet_gevonden(request, exception=None):
    return render(request, "werkplaats/404.html", status=404)


def geen_toegang(request, exception=None):
    return render(request, "werkplaats/403.html", status=403)


def serverfout(request):
    return render(request, "werkplaats/500.html", {"kenmerk": ""}, status=500)
