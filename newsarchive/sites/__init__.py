"""Sites to crawl: site profiles (profiles.py) of CMS families (families.py).

The package's default.toml lists the reprint sites newsarchive knows; `--sites FILE` gives a
user's own; `samples/sites.toml` lists the sample web's, which `crawl --replay samples` reads.
"""

from importlib.resources import files

from newsarchive.sites.families import FAMILIES, Family
from newsarchive.sites.profiles import Site, SiteError, adhoc_site, choose, load_sites

SITES_FILE = "sites.toml"
# A resource, not a path beside __file__: inside scrapyd's zipped egg there is no such file.
DEFAULT_SITES = files("newsarchive.sites").joinpath("default.toml")

__all__ = [
    "DEFAULT_SITES",
    "FAMILIES",
    "SITES_FILE",
    "Family",
    "Site",
    "SiteError",
    "adhoc_site",
    "choose",
    "load_sites",
]
