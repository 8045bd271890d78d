from django.http import HttpResponse


def term_list(request):
    return HttpResponse("TODO")


def duty_list(request):
    return HttpResponse("TODO")
