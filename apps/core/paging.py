from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

# Listings count at most this many rows: counting every match of a common word in a large
# corpus costs more than the rest of the page, and nobody pages through 25 pages of results.
RESULT_CAP = 500


class CappedPaginator(Paginator):
    """A paginator that counts at most ``cap`` rows (``capped`` says whether there are more)."""

    def __init__(self, object_list, per_page, cap: int = RESULT_CAP, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            # Only the keys: annotations (an article's text cut around a quote, say) and
            # joins for display are not computed for the rows counted.
            n = self.object_list.order_by().values("pk")[: self.cap + 1].count()
        else:
            n = len(self.object_list)
        self.capped = n > self.cap
        return min(n, self.cap)

    @property
    def count_label(self) -> str:
        """The count for people: "1,000+" when capped."""
        return f"{self.count:,}+" if self.capped else f"{self.count:,}"


def paginate(request, queryset, per_page: int = 20, cap: int = RESULT_CAP) -> Page:
    """The page named by ``?page=`` (out-of-range or junk values give the nearest valid page)."""
    return CappedPaginator(queryset, per_page, cap=cap).get_page(request.GET.get("page"))
