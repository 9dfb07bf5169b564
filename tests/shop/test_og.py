"""A shared product link shows its name in chat apps (issue 25.6): og: tags with an
absolute address from PUBLIC_URL, whatever Host the page was fetched on."""

from __future__ import annotations


def test_product_page_has_og_tags_from_public_url(app, shop):
    app.config["PUBLIC_URL"] = "https://pairing.example.cn"
    page = app.test_client().get(f"/shop/products/{shop.honey}",
                                 headers={"Host": "evil.example"}).get_data(as_text=True)
    assert '<meta property="og:title" content="十八洞蜂蜜">' in page
    assert (f'<meta property="og:url" content="https://pairing.example.cn/shop/products/'
            f'{shop.honey}">') in page
    assert "evil.example" not in page
