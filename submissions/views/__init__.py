"""HTTP handlers by audience, thin: read with selectors, write with services, render.

- `public`: the calls and what has been posted
- `submitting`: the submission form
- `status`: the submitter's private pages (status, new version, withdrawal)
- `open_data`: statistics, the Atom feed, the JSON API, the ZIP of everything posted
"""
