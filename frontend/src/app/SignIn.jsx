import { useState } from "react";
import { signIn, takeEndReason } from "../lib/auth.js";
import { errorMessage } from "../lib/useApi.js";

/**
 * The sign-in screen: paste an API token (printed by `make run` or `python -m api_panel create-token`); the
 * server checks it (`GET /api/whoami`) before the dashboard opens. A shared link's `?customer_id=&tab=` is
 * kept in the address bar, so it opens once signed in.
 */
export default function SignIn() {
  const [token, setToken] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [notice] = useState(() => takeEndReason());

  async function onSubmit(event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(token);
    } catch (exc) {
      setError(exc);
      setBusy(false);
    }
  }

  return (
    <main className="signin">
      <section className="card signin-card" aria-labelledby="signin-title">
        <div className="card-body">
          <h1 id="signin-title">MSME Lending Dashboard</h1>
          <p className="muted">Sign in with the API token your administrator gave you. It is kept only in this browser tab.</p>
          {notice && <p className="banner banner-warning" role="status">{notice}</p>}
          <form onSubmit={onSubmit} noValidate>
            <div className="field">
              <label htmlFor="token">API token</label>
              <input
                id="token"
                name="token"
                type="password"
                autoComplete="off"
                spellCheck={false}
                value={token}
                onChange={(e) => setToken(e.target.value)}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? "signin-error" : undefined}
                required
              />
            </div>
            {error && <p id="signin-error" className="state-error state state-compact" role="alert">{errorMessage(error)}</p>}
            <button type="submit" className="button" disabled={busy}>
              {busy ? "Signing in…" : "Sign in"}
            </button>
          </form>
        </div>
      </section>
    </main>
  );
}
