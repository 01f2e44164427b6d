using System;
using System.Collections.Generic;
using System.Net.Http;

namespace WeComPS
{
    /// <summary>What the client may do with a request after an attempt whose answer was lost.</summary>
    internal enum Delivery
    {
        /// <summary>Changes nothing: retried freely.</summary>
        Read,

        /// <summary>
        /// A change that is harmless to send again or whose refusal can be checked against what WeCom holds
        /// (<see cref="ExactlyOnce"/>): retried, and a refusal after a lost answer is read back and decided.
        /// </summary>
        Confirmable,

        /// <summary>
        /// A change that must never be sent twice and cannot be checked (a batch job, an invitation, an unknown POST):
        /// retried only while no attempt can have been delivered; after that, its outcome is unknown.
        /// </summary>
        Unsafe,
    }

    /// <summary>The delivery class of every request, in one place.</summary>
    internal static class Deliveries
    {
        /// <summary>The last segments of the paths that only read.</summary>
        private static readonly HashSet<string> ReadNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "gettoken", "get", "list", "simplelist", "list_id", "getuserid", "get_userid_by_email", "convert_to_openid", "getresult", "get_result",
        };

        /// <summary>The writes the client knows: sending them again sets the same state, or <see cref="ExactlyOnce"/> checks the refusal.</summary>
        private static readonly HashSet<string> Confirmable = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "user/create", "user/update", "user/delete", "user/batchdelete", "user/authsucc",
            "department/create", "department/update", "department/delete",
            "tag/create", "tag/update", "tag/delete", "tag/addtagusers", "tag/deltagusers",
            // Uploading again only makes another media id; starting an export again only makes another file.
            "media/upload", "export/simple_user", "export/user", "export/department", "export/taguser",
        };

        /// <summary>True for the APIs known to only read (…/get, …/list, look-ups, job results).</summary>
        public static bool IsRead(string path) => ReadNames.Contains(path.Substring(path.LastIndexOf('/') + 1));

        /// <summary>
        /// The class of <paramref name="method"/> <paramref name="path"/>: reads, then the known writes; batch jobs,
        /// batch/invite and any other POST are unsafe unless <paramref name="idempotent"/> says sending it twice does no
        /// harm. Other GETs (WeCom changes little over GET: a delete, user/authsucc) are confirmable.
        /// </summary>
        public static Delivery Of(HttpMethod method, string path, bool idempotent = false) =>
            IsRead(path) ? Delivery.Read
            : Confirmable.Contains(path) || idempotent ? Delivery.Confirmable
            : method == HttpMethod.Get ? Delivery.Confirmable
            : Delivery.Unsafe;
    }
}
