from tests.test_feeds import *  # noqa
def test_peek(crawled):
    print(crawled["result"].stderr[-3000:])
    for k, r in crawled["records"].items():
        if "cyber" in k: print(r["title"], "|", r["description"], "|", r["unparsed"])
