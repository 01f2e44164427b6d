using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS.Commands
{
    // What the job cmdlets share: the import flow, waiting for results, and one error per failed job or tag.
    public abstract partial class WeComCmdlet
    {
        /// <summary>
        /// Runs <paramref name="work"/> for each distinct item in turn; a failure is written as an error naming the item
        /// (<paramref name="describe"/>) and the next item goes on, unless it ends the command (see PostItemError).
        /// </summary>
        protected async Task ForEachAsync<T>(IEnumerable<T> items, Func<T, string> describe, Func<T, CancellationToken, Task> work, CancellationToken cancellationToken)
        {
            foreach (var item in items.Distinct())
            {
                try
                {
                    await work(item, cancellationToken).ConfigureAwait(false);
                    ItemSucceeded();
                }
                catch (WeComException ex)
                {
                    PostItemError(ex.About(describe(item)), item);
                }
            }
        }

        /// <summary>How long the job cmdlets wait for a job by default (-TimeoutSec): an hour.</summary>
        protected const int DefaultJobTimeoutSec = 3600;

        private object? _lastErrorBefore;

        /// <summary>
        /// Remembers where the session's $Error stands (call it in BeginProcessing): an input row PowerShell cannot bind
        /// never reaches the cmdlet, and a replace must not go on without it.
        /// </summary>
        protected void MarkInputErrors() => _lastErrorBefore = SessionErrors().FirstOrDefault();

        /// <summary>The input rows PowerShell failed to bind to this command since <see cref="MarkInputErrors"/>.</summary>
        private int UnboundRows() => SessionErrors()
            .TakeWhile(e => !ReferenceEquals(e, _lastErrorBefore))
            .OfType<ErrorRecord>()
            .Count(e => e.Exception is ParameterBindingException
                && e.InvocationInfo?.MyCommand?.Name == MyInvocation.MyCommand.Name
                && e.InvocationInfo.HistoryId == MyInvocation.HistoryId);

        /// <summary>True under -ErrorAction Ignore (or that preference): binding errors are then not recorded.</summary>
        private bool ErrorsIgnored() =>
            (MyInvocation.BoundParameters.TryGetValue("ErrorAction", out var action) ? action : SessionState.PSVariable.GetValue("ErrorActionPreference")) is ActionPreference.Ignore;

        /// <summary>True under -WhatIf (or $WhatIfPreference): changes are shown, not made.</summary>
        protected bool WhatIfMode() =>
            MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf) ? ((SwitchParameter)whatIf).IsPresent
            : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));

        private IEnumerable<object> SessionErrors() =>
            (SessionState.PSVariable.GetValue("Error") as System.Collections.IEnumerable)?.Cast<object>() ?? Enumerable.Empty<object>();

        /// <summary>
        /// Runs an import: the input compared with the directory (<paramref name="plan"/>), its invalid items written as
        /// errors, the whole import confirmed once (under -WhatIf: shown, one line per change, and nothing sent), then
        /// uploaded, started and waited for with a progress bar, or with <paramref name="noWait"/> returned as a job.
        /// <paramref name="noun"/> (member, department) is in the admin's language.
        /// </summary>
        private protected void RunImport(
            string noun,
            bool replaces,
            Func<WeComConnection, CancellationToken, Task<WeComImportPlan>> plan,
            bool? toInvite,
            bool noWait,
            Func<WeComPlannedChange, bool> listed,
            DeleteLimit? maxDelete = null,
            int timeoutSec = DefaultJobTimeoutSec)
        {
            if (replaces && ErrorsIgnored())
            {
                ThrowTerminatingError(new ErrorRecord(
                    new PSInvalidOperationException(Msg.Get("ImportErrorsIgnored", noun)),
                    "ImportErrorsIgnored",
                    ErrorCategory.InvalidOperation,
                    null));
            }

            if (replaces && UnboundRows() is var unbound && unbound > 0)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new PSInvalidOperationException(Msg.Get("ImportInputUnbound", unbound, noun)),
                    "ImportInputUnbound",
                    ErrorCategory.InvalidData,
                    null));
            }

            var connection = ResolveConnection();
            WeComImportPlan? planned = null;
            RunAsync(async cancellationToken => planned = await plan(connection, cancellationToken).ConfigureAwait(false));
            foreach (var invalid in planned!.Invalid)
            {
                WriteError(ToErrorRecord(invalid.Error!, invalid.Target));
            }

            if (planned.CheckStartable() is { } refused)
            {
                ThrowTerminatingError(ToErrorRecord(refused, null));
            }

            if (planned.DeleteProtection != null)
            {
                WriteWarning(planned.DeleteProtection.Message + " " + planned.DeleteProtection.RecommendedAction);
            }

            // Deletions need consent in proportion: over the limit, nothing is sent unless the admin raises it.
            var limit = replaces ? maxDelete ?? DeleteLimit.Default : null;
            if (limit?.Check(planned.Count(WeComJobAction.Delete), planned.Existing, noun) is { } tooMany)
            {
                if (!WhatIfMode())
                {
                    ThrowTerminatingError(ToErrorRecord(tooMany, null));
                }

                WriteWarning(tooMany.Message);
            }

            if (!ConfirmImport(planned, noun, listed, limit))
            {
                return;
            }

            RunAsync(async cancellationToken =>
            {
                var job = await connection.Jobs.StartAsync(planned, toInvite, cancellationToken).ConfigureAwait(false);
                PostJobAccepted(job, planned.Rows);
                if (noWait)
                {
                    PostObject(job);
                    return;
                }

                await WaitAndWriteAsync(connection, job.JobId, planned, timeoutSec, cancellationToken).ConfigureAwait(false);
            });
        }

        /// <summary>
        /// Says that WeCom accepted <paramref name="job"/> where the admin sees it without -Verbose, on the host too after
        /// Ctrl+C: a wait cut short is picked up with Wait-WeComJob.
        /// </summary>
        private protected void PostJobAccepted(WeComJob job, int rows)
        {
            var accepted = Msg.Get("JobAccepted", job.Type, job.JobId, rows);
            Post(() => WriteInformation(new HostInformationMessage { Message = accepted }, new[] { "PSHOST" }), accepted);
        }

        /// <summary>
        /// Waits for a job with a progress bar and writes one result per row; a failed row is also written as an error
        /// naming its member or department, and a department WeCom keeps until it is empty as a warning.
        /// </summary>
        protected async Task WaitAndWriteAsync(WeComConnection connection, string jobId, WeComImportPlan? plan, int timeoutSec, CancellationToken cancellationToken)
        {
            var results = await connection.Jobs.WaitForResultsAsync(jobId, plan, ProgressBar, cancellationToken, TimeSpan.FromSeconds(timeoutSec)).ConfigureAwait(false);
            foreach (var result in results)
            {
                PostObject(result);
                if (result.Status == WeComJobResultStatus.Deferred)
                {
                    Post(() => WriteWarning(Msg.Get(result.ErrCode == 60006 ? "DepartmentKeptChildren" : "DepartmentKeptMembers", result.Name, result.DepartmentId)));
                }
                else if (result.ToException() is { } error)
                {
                    PostError(error, result.Target);
                }
            }
        }

        /// <summary>One confirmation for the whole import; under -WhatIf, one line per listed change after the summary.</summary>
        private bool ConfirmImport(WeComImportPlan plan, string noun, Func<WeComPlannedChange, bool> listed, DeleteLimit? limit)
        {
            var deletes = plan.Changes.Where(c => c.Action == WeComJobAction.Delete).Select(c => c.Describe()).ToList();
            var what = Msg.Get("ImportWhat", plan.Type, plan.Rows, noun, plan.Summary())
                + (limit is null ? "" : Msg.Get("ImportDeletesLimit", limit.Describe(deletes.Count, plan.Existing)))
                + (deletes.Count == 0 ? "" : Msg.Get("ImportDeletes", string.Join(", ", deletes.Take(20))) + (deletes.Count > 20 ? Msg.Get("AndMore", deletes.Count - 20) : ""));
            if (ShouldProcess(what, Msg.Get("RunImport", what), Msg.Get("ImportNouns", noun), out var reason))
            {
                return true;
            }

            if (reason == ShouldProcessReason.WhatIf)
            {
                foreach (var change in plan.Changes.Where(c => c.Action != WeComJobAction.None && listed(c)))
                {
                    ShouldProcess(change.Describe(), $"{change.Action} {noun}" + (change.Detail is null ? "" : $" ({change.Detail})"));
                }
            }

            return false;
        }
    }
}
