using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    /// <summary>
    /// Any WeCom API call through a connection: its token, refresh, retries and error mapping, for the APIs that
    /// have no operation of their own. The answer comes back as plain values (dictionaries, lists, strings, numbers,
    /// booleans), never as JSON types.
    /// </summary>
    internal static class ApiInvocation
    {
        private static readonly Regex PathPattern = new Regex(@"\A[A-Za-z0-9_]+(/[A-Za-z0-9_]+)*\z", RegexOptions.CultureInvariant);
        private static readonly string[] ReservedQuery = { "access_token", "corpsecret", "corpid" };

        /// <summary>
        /// True for the APIs known to only read (…/get, …/list, look-ups, job results). WeCom also changes data over
        /// GET (user/delete, tag/delete, user/authsucc), so every other call is treated as a change.
        /// </summary>
        public static bool IsRead(string path) => Deliveries.IsRead(NormalizePath(path));

        /// <summary>
        /// Calls <paramref name="path"/> (below /cgi-bin/, e.g. <c>user/get</c>) with GET or POST. <paramref name="body"/>
        /// is a JSON string or an object graph of dictionaries, lists and values. errcode and errmsg are left out of
        /// the answer: a non-zero errcode is thrown as a <see cref="WeComException"/>. A POST the client does not know
        /// is never sent again once it may have been delivered, unless <paramref name="idempotent"/> says that sending
        /// it twice does no harm.
        /// </summary>
        public static async Task<IDictionary<string, object?>> InvokeAsync(
            this WeComConnection connection,
            string method,
            string path,
            IEnumerable<KeyValuePair<string, string>>? query,
            object? body,
            CancellationToken cancellationToken,
            bool idempotent = false)
        {
            var verb = method.ToUpperInvariant() switch
            {
                "GET" => HttpMethod.Get,
                "POST" => HttpMethod.Post,
                _ => throw WeComException.InvalidInput("InvalidMethod", Msg.Get("InvalidMethod", method)),
            };
            var apiPath = NormalizePath(path);
            var pairs = (query ?? Enumerable.Empty<KeyValuePair<string, string>>()).ToList();
            if (pairs.FirstOrDefault(p => ReservedQuery.Contains(p.Key, StringComparer.OrdinalIgnoreCase)) is { Key: { } reserved })
            {
                throw WeComException.InvalidInput("ReservedQueryParameter", Msg.Get("ReservedQueryParameter", reserved));
            }

            var queryText = string.Join("&", pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value ?? "")));
            var answer = await connection.Client.CallAsync(verb, apiPath, queryText, BodyText(body), cancellationToken, Deliveries.Of(verb, apiPath, idempotent)).ConfigureAwait(false);
            var result = (Dictionary<string, object?>)ToPlain(answer)!;
            result.Remove("errcode");
            result.Remove("errmsg");
            return result;
        }

        /// <summary>The API path below /cgi-bin/; gettoken is refused, because its answer is the token itself.</summary>
        internal static string NormalizePath(string path)
        {
            var trimmed = (path ?? "").Trim().Trim('/');
            if (trimmed.StartsWith("cgi-bin/", StringComparison.OrdinalIgnoreCase))
            {
                trimmed = trimmed.Substring("cgi-bin/".Length);
            }

            if (!PathPattern.IsMatch(trimmed))
            {
                throw WeComException.InvalidInput("InvalidApiPath", Msg.Get("InvalidApiPath", path));
            }

            if (trimmed.Equals("gettoken", StringComparison.OrdinalIgnoreCase))
            {
                throw WeComException.InvalidInput("InvalidApiPath", Msg.Get("GetTokenRefused"));
            }

            return trimmed;
        }

        /// <summary>The type System.Text.Json could not write, from its exception, or "non-JSON".</summary>
        private static string Unserialisable(Exception ex)
        {
            var match = System.Text.RegularExpressions.Regex.Match(ex.Message, @"'([\w.`\[\], ]+?)'");
            return match.Success ? match.Groups[1].Value : "non-JSON";
        }

        private static string? BodyText(object? body)
        {
            if (body is not string text)
            {
                try
                {
                    return body is null ? null : JsonSerializer.Serialize(body);
                }
                catch (Exception ex) when (ex is NotSupportedException || ex is InvalidOperationException || ex is JsonException || ex is ArgumentException)
                {
                    throw WeComException.InvalidInput(
                        "InvalidBody",
                        Msg.Get("InvalidBody", Unserialisable(ex)));
                }
            }

            try
            {
                using var document = JsonDocument.Parse(text);
                return text;
            }
            catch (JsonException ex)
            {
                throw WeComException.InvalidInput("InvalidJsonBody", Msg.Get("InvalidJsonBody", ex.Message));
            }
        }

        /// <summary>JSON as plain .NET values: objects as dictionaries, arrays as object arrays, integers as long.</summary>
        internal static object? ToPlain(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Object => e.EnumerateObject().Aggregate(new Dictionary<string, object?>(), (d, p) =>
            {
                d[p.Name] = ToPlain(p.Value);
                return d;
            }),
            JsonValueKind.Array => e.EnumerateArray().Select(ToPlain).ToArray(),
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Number => e.TryGetInt64(out var n) ? n : (object)e.GetDouble(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        };
    }
}
