from mcsc.permissions import user_scope


def roles(request):
    """The user's role names, so the shell can show the menus that apply to them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": frozenset()}
    return {"user_roles": frozenset(role.value for role in user_scope(user).roles)}
