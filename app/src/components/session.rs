//! Who is signed in, shared by the header and the pages. Refetched whenever a sign-in,
//! sign-up or sign-out action completes, so the header never shows a stale user.

use leptos::prelude::*;

use crate::api::account::DeleteAccount;
use crate::api::auth::{Login, Logout, Signup, current_user};
use crate::error::AppError;
use crate::model::UserInfo;

#[derive(Clone, Copy)]
pub struct SessionCtx {
    pub user: Resource<Result<Option<UserInfo>, AppError>>,
    pub login: ServerAction<Login>,
    pub signup: ServerAction<Signup>,
    pub logout: ServerAction<Logout>,
    pub delete_account: ServerAction<DeleteAccount>,
}

pub fn provide_session() -> SessionCtx {
    let login = ServerAction::<Login>::new();
    let signup = ServerAction::<Signup>::new();
    let logout = ServerAction::<Logout>::new();
    let delete_account = ServerAction::<DeleteAccount>::new();
    let user = Resource::new(
        move || {
            (
                login.version().get(),
                signup.version().get(),
                logout.version().get(),
                delete_account.version().get(),
            )
        },
        |_| current_user(),
    );
    let ctx = SessionCtx { user, login, signup, logout, delete_account };
    provide_context(ctx);
    ctx
}

pub fn use_session() -> SessionCtx {
    expect_context::<SessionCtx>()
}
