"""The look-up of awards (tra cứu khen thưởng): who received what, by which decision, searchable
by name without diacritics."""
