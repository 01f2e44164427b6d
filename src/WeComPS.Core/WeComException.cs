using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace WeComPS
{
    /// <summary>What kind of failure a <see cref="WeComException"/> is; the cmdlets map it to an ErrorCategory.</summary>
    public enum WeComErrorKind
    {
        Unspecified,
        Authentication,
        PermissionDenied,
        NotFound,
        InvalidArgument,
        AlreadyExists,
        LimitExceeded,
        Busy,
        Connection,
        InvalidResponse,
    }

    /// <summary>
    /// A failed WeCom call or a request rejected before it was sent. Carries WeCom's errcode and errmsg,
    /// the API path (never the query, so never the access_token), the hint WeCom gave and what to do.
    /// </summary>
    public class WeComException : Exception
    {
        private static readonly Regex HintPattern = new Regex(@"hint:\s*\[([^\]]*)\]", RegexOptions.CultureInvariant);

        /// <summary>The parts of WeCom's errmsg that stay on the exception (ErrMsg, Hint) rather than in what is shown.</summary>
        private static readonly Regex ErrMsgDetails = new Regex(@"[,;]?\s*(hint:\s*\[[^\]]*\]|from ip:\s*[^,;\s]+|more info at\s+\S+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        public WeComException(string errorId, WeComErrorKind kind, string message, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Kind = kind;
        }

        /// <summary>A stable PascalCase identifier, e.g. <c>UserNotFound</c>; scripts match on it.</summary>
        public string ErrorId { get; }
        public WeComErrorKind Kind { get; }
        /// <summary>WeCom's errcode, when WeCom answered.</summary>
        public int? ErrCode { get; private set; }
        /// <summary>WeCom's errmsg as sent (it can carry <c>from ip</c> and a look-up link).</summary>
        public string? ErrMsg { get; private set; }
        /// <summary>The API path, e.g. <c>user/get</c>.</summary>
        public string? ApiPath { get; private set; }
        /// <summary>The request hint from <c>hint: [...]</c> in errmsg, to quote to WeCom support.</summary>
        public string? Hint { get; private set; }
        /// <summary>What the errcode means.</summary>
        public string? Meaning { get; private set; }
        /// <summary>What an admin can do about it.</summary>
        public string? RecommendedAction { get; private set; }
        /// <summary>
        /// The message as an admin reads it: each thing once. The advice is left to <see cref="RecommendedAction"/>,
        /// and WeCom's hint, caller IP and look-up link to <see cref="ErrMsg"/> and <see cref="Hint"/>.
        /// </summary>
        public string Summary
        {
            get
            {
                var text = Message;
                if (RecommendedAction != null && text.EndsWith(RecommendedAction, StringComparison.Ordinal))
                {
                    text = text.Substring(0, text.Length - RecommendedAction.Length).TrimEnd(' ');
                }

                return ErrCode is null ? text : ErrMsgDetails.Replace(text, "").TrimEnd(' ', ':', ',');
            }
        }

        /// <summary>True when retrying later may succeed (busy, rate limited, transient network failure).</summary>
        public bool IsTransient { get; private set; }

        /// <summary>
        /// True when the failed attempt may have been applied all the same: it got no answer, a broken one, an HTTP
        /// 5xx or -1 (system busy). The client then checks a refusal of the retry against what the lost attempt did.
        /// </summary>
        internal bool OutcomeUnknown { get; set; }

        /// <summary>True when no request reached WeCom and no answer came: a network failure or a lost answer.</summary>
        internal bool IsTransportFailure { get; private set; }

        /// <summary>Set for failures that say nothing about the item, such as no access token to be had.</summary>
        internal bool EndsCommand { get; set; }

        /// <summary>
        /// True when no other item of the same command can succeed either (the secret or its token is refused, the
        /// secret may not call the API or read details from this IP, the caller's IP is not trusted, the API is blocked
        /// for longer than the client waits, no token can be fetched): the command stops with this one error instead of
        /// reporting the same failure for every item. <see cref="FailurePolicy"/> adds an endpoint that stopped answering.
        /// </summary>
        public bool AffectsAllItems => EndsCommand || Kind == WeComErrorKind.Authentication || (ErrCode is { } code && WeComErrorCatalog.AffectsAllItems(code));

        /// <summary>Builds the exception for a non-zero errcode, with meaning and advice from the catalogue.</summary>
        public static WeComException FromApi(string apiPath, int errCode, string? errMsg)
        {
            var info = WeComErrorCatalog.Describe(errCode);
            var hint = errMsg is null ? null : HintPattern.Match(errMsg) is { Success: true } m ? m.Groups[1].Value : null;
            var message = Msg.Get("ApiError", errCode, info.Meaning, apiPath, errMsg);
            if (info.Advice != null)
            {
                message += " " + info.Advice;
            }

            return new WeComException(info.ErrorId, info.Kind, message)
            {
                ErrCode = errCode,
                ErrMsg = errMsg,
                ApiPath = apiPath,
                Hint = hint,
                Meaning = info.Meaning,
                RecommendedAction = info.Advice,
                IsTransient = info.Transient,
            };
        }

        /// <summary>A transport failure (no answer, HTTP error, unreadable answer) after the retries were spent.</summary>
        public static WeComException FromTransport(string apiPath, string what, bool transient, WeComErrorKind kind, Exception? inner = null)
        {
            var advice = Msg.Get(transient ? "UnreachableAdvice" : "InvalidResponseAdvice");
            return new WeComException(transient ? "WeComUnreachable" : "WeComInvalidResponse", kind, Msg.Get("TransportFailed", apiPath, what, advice), inner)
            {
                ApiPath = apiPath,
                RecommendedAction = advice,
                IsTransient = transient,
                IsTransportFailure = kind == WeComErrorKind.Connection,
            };
        }

        /// <summary>
        /// The TLS handshake with <paramref name="host"/> failed, for <paramref name="reason"/> (a name mismatch, an untrusted
        /// root, a protocol WeCom and this machine do not share): no request was sent, and every call would fail alike.
        /// </summary>
        public static WeComException TlsFailure(string apiPath, string host, string reason)
        {
            var advice = Msg.Get("TlsAdvice");
            return new WeComException("TlsHandshakeFailed", WeComErrorKind.Connection, Msg.Get("TransportFailed", apiPath, Msg.Get("TlsFailed", host, reason), advice))
            {
                ApiPath = apiPath,
                RecommendedAction = advice,
                IsTransportFailure = true,
                EndsCommand = true,
            };
        }

        /// <summary>A failure that is no WeCom answer at all (a defect or an environment problem).</summary>
        public static WeComException Unexpected(string apiPath, Exception inner) =>
            new WeComException("WeComUnexpectedError", WeComErrorKind.Unspecified, $"WeCom call {apiPath} failed: {inner.GetType().Name}: {inner.Message}", inner)
            {
                ApiPath = apiPath,
            };

        /// <summary>The same failure, its message prefixed with the item it concerns (e.g. "Department 5").</summary>
        public WeComException About(string item) => Copy(Msg.Get("AboutItem", item, Message));

        /// <summary>The same failure, to throw again.</summary>
        internal WeComException Copy(string? message = null) =>
            new WeComException(ErrorId, Kind, message ?? Message, InnerException)
            {
                ErrCode = ErrCode,
                ErrMsg = ErrMsg,
                ApiPath = ApiPath,
                Hint = Hint,
                Meaning = Meaning,
                RecommendedAction = RecommendedAction,
                IsTransient = IsTransient,
                OutcomeUnknown = OutcomeUnknown,
                IsTransportFailure = IsTransportFailure,
                EndsCommand = EndsCommand,
                NamesItem = NamesItem,
            };

        /// <summary>The same failure with <paramref name="detail"/> added to what it says, e.g. who already has an email.</summary>
        public WeComException With(string detail)
        {
            var advice = RecommendedAction != null && Message.EndsWith(RecommendedAction, StringComparison.Ordinal) ? RecommendedAction : "";
            return Copy(Msg.Get("WithDetail", Message.Substring(0, Message.Length - advice.Length).TrimEnd(' ', '.', '。'), detail) + (advice.Length > 0 ? " " + advice : ""));
        }

        /// <summary>An item that a successful read did not contain.</summary>
        public static WeComException NotFound(string errorId, string message, string apiPath, string advice) =>
            WithAdvice(errorId, WeComErrorKind.NotFound, message, apiPath, advice);

        /// <summary>An item that WeCom answered errcode 0 for but listed as invalid (e.g. in <c>invalidlist</c>).</summary>
        public static WeComException Rejected(string errorId, string message, string apiPath, string advice) =>
            WithAdvice(errorId, WeComErrorKind.InvalidArgument, message, apiPath, advice);

        /// <summary>
        /// A change that may or may not have been applied: an attempt's answer was lost and then <paramref name="why"/>
        /// (it may not be sent again, the retries ran out, or the check of what WeCom holds failed). Never "failed, run
        /// it again": <paramref name="check"/> says how to find out.
        /// </summary>
        public static WeComException WriteOutcomeUnknown(string apiPath, string why, string check, WeComException? cause = null)
        {
            var error = WithAdvice(
                "WriteOutcomeUnknown",
                WeComErrorKind.InvalidResponse,
                Msg.Get("OutcomeUnknown", apiPath, why),
                apiPath,
                check);
            error.IsTransportFailure = cause?.IsTransportFailure ?? false;
            return error;
        }

        /// <summary>
        /// A run of changes stopped (Ctrl+C, or a write to the pipeline that failed) with changes in flight;
        /// <paramref name="settled"/> says how each of those ended.
        /// </summary>
        public static WeComException CommandStopped(string apiPath, IReadOnlyCollection<string> settled) =>
            WithAdvice(
                "CommandStopped",
                WeComErrorKind.Unspecified,
                settled.Count == 0 ? Msg.Get("NothingInFlight") : Msg.Get("InFlightThen", string.Join(", ", settled)),
                apiPath,
                Msg.Get("StoppedAdvice"));

        /// <summary>A job still running when the wait for it reached its limit.</summary>
        public static WeComException JobWaitTimedOut(string jobId, TimeSpan waited) =>
            WithAdvice(
                "JobWaitTimedOut",
                WeComErrorKind.LimitExceeded,
                Msg.Get("JobWaitTimedOut", jobId, waited.TotalSeconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture)),
                "batch/getresult",
                Msg.Get("JobWaitTimedOutAdvice", jobId));

        /// <summary>Input rejected before any request was sent, its message already naming the item (<see cref="Violation.About"/>).</summary>
        internal static WeComException InvalidItem(string errorId, string message) =>
            new WeComException(errorId, WeComErrorKind.InvalidArgument, message) { NamesItem = true };

        /// <summary>True when the message already names the item it concerns: callers do not prefix it again.</summary>
        internal bool NamesItem { get; private set; }

        /// <summary>Input rejected before any request was sent.</summary>
        public static WeComException InvalidInput(string errorId, string message) =>
            new WeComException(errorId, WeComErrorKind.InvalidArgument, message);

        private static WeComException WithAdvice(string errorId, WeComErrorKind kind, string message, string apiPath, string advice) =>
            new WeComException(errorId, kind, message + " " + advice)
            {
                ApiPath = apiPath,
                RecommendedAction = advice,
            };
    }
}
