import { Component } from "react";

/**
 * Catches a rendering error in one view (an unexpected shape in a document) and shows it in place, so the
 * rest of the dashboard keeps working instead of going blank. `resetKey` clears it (another customer/tab).
 */
export default class ErrorBoundary extends Component {
  constructor(props) {
    super(props);
    this.state = { error: null, key: props.resetKey };
  }

  static getDerivedStateFromError(error) {
    return { error };
  }

  static getDerivedStateFromProps(props, state) {
    if (props.resetKey !== state.key) return { error: null, key: props.resetKey };
    return null;
  }

  componentDidCatch(error, info) {
    console.error("view failed to render", error, info?.componentStack); // eslint-disable-line no-console
  }

  render() {
    if (this.state.error) {
      return (
        <div className="state state-error" role="alert">
          <p className="state-message">
            {this.props.label ? `${this.props.label} could not be shown` : "This view could not be shown"}: {String(this.state.error?.message || this.state.error)}
          </p>
          <button type="button" className="button button-secondary" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
        </div>
      );
    }
    return this.props.children;
  }
}
