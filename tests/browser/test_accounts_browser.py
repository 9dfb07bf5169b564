"""A person at the browser: home page, register, log in, switch languages, log out."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from support import browser_logout, screenshot

pytestmark = pytest.mark.browser


def test_register_login_switch_language_logout(page, live_server, runner, app):
    runner.invoke(args=["demo", "load"])
    page.goto(live_server + "/")
    expect(page.locator("h1")).to_have_text("企业与村庄结对，携手脱贫攻坚")
    screenshot(page, "home-zh")

    page.get_by_role("link", name="注册").first.click()
    page.get_by_label("我是").select_option("donor")
    page.get_by_label("您的姓名").fill("刘女士")
    page.get_by_label("电子邮件").fill("liu@example.org")
    page.get_by_label("密码", exact=True).fill("a long password")
    page.get_by_label("再次输入密码").fill("a long password")
    screenshot(page, "register-zh")
    page.get_by_role("button", name="创建账户").click()
    expect(page.locator(".flashes")).to_contain_text("请查收电子邮件")
    # The mailed link (from PUBLIC_URL) opens a page that creates the account.
    body = app.extensions["sent_mail"][-1].get_content()
    link = next(line for line in body.splitlines() if "/register/" in line).strip()
    page.goto(live_server + link[link.index("/register/"):])
    page.get_by_role("button", name="创建账户").click()
    expect(page.get_by_role("heading", name="下一步")).to_be_visible()  # first steps
    expect(page.locator(".flashes")).to_contain_text("账户已创建")

    page.get_by_role("button", name="退出", exact=True).click()
    expect(page.locator("header").get_by_role("link", name="登录")).to_be_visible()

    page.locator("header").get_by_role("link", name="登录").click()
    page.get_by_label("电子邮件").fill("liu@example.org")
    page.get_by_label("密码").fill("a long password")
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".flashes")).to_contain_text("欢迎，刘女士")

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="中文")).to_be_visible()
    page.goto(live_server + "/account")
    expect(page.get_by_role("heading", name="My account")).to_be_visible()
    screenshot(page, "account-en")
    page.get_by_role("link", name="中文").click()
    expect(page.get_by_role("heading", name="我的账户")).to_be_visible()

    browser_logout(page)
    page.goto(live_server + "/account")
    page.wait_for_url("**/login**")


def test_wrong_password_message(page, live_server, make_user):
    user = make_user("donor")
    page.goto(live_server + "/login")
    page.get_by_label("电子邮件").fill(user.email)
    page.get_by_label("密码").fill("not the password")
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".flashes")).to_contain_text("电子邮件或密码错误")
    screenshot(page, "login-error-zh")
