"""GitHub sign-in (django-allauth): a GitHub login is the account of the Person whose handle it
is. A first sign-in creates the account and links it; a later one links it once the roster has
the handle. A login the roster does not know signs in and edits nothing."""

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from governance import services


def github_login(sociallogin) -> str:
    """The GitHub login ("handle") of a social sign-in."""
    return str(sociallogin.account.extra_data.get("login", ""))


class GitHubSignIn(DefaultSocialAccountAdapter):
    """Links each GitHub sign-in to its Person (governance.services.person_link_user)."""

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        services.person_link_user(user=user, handle=github_login(sociallogin))
        return user

    def pre_social_login(self, request, sociallogin):
        if sociallogin.is_existing:
            services.person_link_user(user=sociallogin.user, handle=github_login(sociallogin))
