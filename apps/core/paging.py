from django.core.paginator import Page, Paginator


def paginate(request, queryset, per_page: int = 20) -> Page:
    """The page named by ``?page=`` (out-of-range or junk values give the nearest valid page)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
