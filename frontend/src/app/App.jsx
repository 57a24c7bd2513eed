import { useSession } from "../lib/auth.js";
import Shell from "./Shell.jsx";
import SignIn from "./SignIn.jsx";

/** Signed out: the sign-in screen. Signed in: the dashboard for the token's role. */
export default function App() {
  const session = useSession();
  if (!session.token || !session.role) return <SignIn />;
  return <Shell session={session} />;
}
