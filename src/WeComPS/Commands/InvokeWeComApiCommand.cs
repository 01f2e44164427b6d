using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace WeComPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Calls any WeCom API with the connection's token, retries and error handling: for the APIs that have no cmdlet.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "WeComApi", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PSObject))]
    public sealed class InvokeWeComApiCommand : WeComCmdlet
    {
        /// <summary><para type="description">The API path below /cgi-bin/, e.g. user/get or department/create.</para></summary>
        [Parameter(Mandatory = true, Position = 0)]
        public string Path { get; set; } = "";

        /// <summary><para type="description">GET or POST; POST when -Body is given, else GET.</para></summary>
        [Parameter]
        [ValidateSet("GET", "POST")]
        public string? Method { get; set; }

        /// <summary><para type="description">Query parameters, e.g. @{ userid = 'zhangsan' }. The access token is added by the connection.</para></summary>
        [Parameter]
        public IDictionary? Query { get; set; }

        /// <summary><para type="description">The JSON body: a hashtable or object (converted to JSON) or a JSON string.</para></summary>
        [Parameter(ValueFromPipeline = true)]
        public object? Body { get; set; }

        /// <summary>
        /// <para type="description">Says that sending the call twice does no harm, so it is retried like a read. Without it, a POST WeComPS does not know is never sent again once it may have reached WeCom: a lost answer is reported as WriteOutcomeUnknown.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Idempotent { get; set; }

        protected override void ProcessRecord()
        {
            var method = Method?.ToUpperInvariant() ?? (Body is null ? "GET" : "POST");
            // Known reads change nothing; any other call may (WeCom deletes over GET too), so it is confirmed and honours -WhatIf.
            if (!IsKnownRead() && !ShouldProcess(Path, method))
            {
                return;
            }

            var connection = ResolveConnection();
            var query = Query?.Cast<DictionaryEntry>().Select(e => new KeyValuePair<string, string>(e.Key.ToString()!, LanguagePrimitives.ConvertTo<string>(e.Value))).ToList();
            var body = Plain(Body);
            RunAsync(async cancellationToken =>
            {
                try
                {
                    PostObject(ToPSObject(await connection.InvokeAsync(method, Path, query, body, cancellationToken, Idempotent).ConfigureAwait(false)));
                    ItemSucceeded();
                }
                catch (WeComException ex)
                {
                    // One failed call (of several piped bodies) does not stop the others.
                    PostItemError(ex, Path);
                }
            });
        }

        private bool IsKnownRead()
        {
            try
            {
                return ApiInvocation.IsRead(Path);
            }
            catch (WeComException)
            {
                // A malformed path is reported by the call itself.
                return true;
            }
        }

        /// <summary>PowerShell values as plain .NET values for JSON: hashtables and objects as dictionaries, lists as arrays.</summary>
        private static object? Plain(object? value)
        {
            var unwrapped = value is PSObject wrapped && wrapped.BaseObject is not PSCustomObject ? wrapped.BaseObject : value;
            return unwrapped switch
            {
                null => null,
                string or System.ValueType => unwrapped,
                IDictionary dictionary => dictionary.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => Plain(e.Value)),
                IEnumerable list => list.Cast<object?>().Select(Plain).ToArray(),
                PSObject custom => custom.Properties.ToDictionary(p => p.Name, p => Plain(p.Value)),
                _ => unwrapped,
            };
        }

        /// <summary>The answer as PowerShell objects: dictionaries become PSCustomObjects, as ConvertFrom-Json makes them.</summary>
        private static object ToPSObject(IDictionary<string, object?> answer) => ToPSValue(answer)!;

        private static object? ToPSValue(object? value)
        {
            switch (value)
            {
                case IDictionary<string, object?> dictionary:
                    var result = new PSObject();
                    foreach (var pair in dictionary)
                    {
                        result.Properties.Add(new PSNoteProperty(pair.Key, ToPSValue(pair.Value)));
                    }

                    return result;
                case object?[] array:
                    return array.Select(ToPSValue).ToArray();
                default:
                    return value;
            }
        }
    }
}
