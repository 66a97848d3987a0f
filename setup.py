"""Only for `scrapyd-deploy`, which builds its egg with `python setup.py bdist_egg`.

Without this file scrapyd-deploy writes a setup.py of its own into the checkout (a project
named `project`, its packages found by find_packages). Everything here comes from
pyproject.toml: packages, package data, the scrapy entry point scrapyd reads the settings from.
pip and other builders read pyproject.toml and need none of this.
"""

from setuptools import setup

setup()
