from django.http import HttpResponse


def unit_tree(request):
    return HttpResponse("TODO")
