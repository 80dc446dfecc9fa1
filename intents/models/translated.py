from django.utils import translation


class Bilingual:
    """Models with `<field>` (English) and `<field>_zh` (Simplified Chinese) columns."""

    def localized(self, field):
        if translation.get_language() == "zh-hans":
            chinese = getattr(self, f"{field}_zh", "")
            if chinese:
                return chinese
        return getattr(self, field)
