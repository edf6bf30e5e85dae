"""The site's own date formats, where Django's for a language are not the UN's.

Settings: FORMAT_MODULE_PATH = ["gc6portal.formats"]. A format not given here is
Django's for that language (French and Spanish use Django's as they are).
"""
