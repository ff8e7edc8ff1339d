from webview.views import render_menu_page


def consumption(request):
    return render_menu_page(request, "consumption", "hierarchies/consumption.html")
