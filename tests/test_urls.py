"""Links built by templates are remembered per process, and stay the links Flask builds."""

from __future__ import annotations

from flask import url_for

from teamhub.urls import template_url_for


def test_template_links_equal_flasks_and_are_built_once(app):
    from teamhub import urls

    urls._built.cache_clear()
    with app.test_request_context("/", base_url="http://localhost/app"):
        cases = [
            ("assignments.detail", {"slug": "amami", "assignment_id": 7}),
            ("jobs.split_job", {"slug": "amami", "job_id": 3, "suggest": 1}),
            ("jobs.split_job", {"slug": "amami", "job_id": 3, "suggest": True}),
            ("jobs.split_job", {"slug": "奄美", "job_id": 3, "rows": "a b&c"}),
            ("main.home", {}),
        ]
        for endpoint, values in cases:
            assert template_url_for(endpoint, **values) == url_for(endpoint, **values)
            assert template_url_for(endpoint, **values) == url_for(endpoint, **values)
        assert template_url_for("main.home").startswith("/app/")
        assert urls._built.cache_info().misses == len(cases)
        assert urls._built.cache_info().hits == len(cases) + 1
        # 1 and True are equal dictionary keys, but not the same link.
        assert "suggest=1" in template_url_for("jobs.split_job", slug="a", job_id=1, suggest=1)
        assert "suggest=True" in template_url_for(
            "jobs.split_job", slug="a", job_id=1, suggest=True
        )
        external = template_url_for("main.home", _external=True)
        assert external == "http://localhost/app/"
        listed = template_url_for("main.home", tag=["a", "b"])
        assert listed == url_for("main.home", tag=["a", "b"])
    with app.test_request_context("/", base_url="http://localhost/"):
        assert template_url_for("main.home") == "/"
