# Runs every help example that can run against the built-in sandbox, as written: each help file in a fresh
# PowerShell process with its own sample corp, its examples in order, so an example may build on the one before.
BeforeDiscovery {
    # Examples that need what the sandbox cannot give: a real tenant's secret, a prompt, a file of the reader's.
    $needsMore = 'Read-Host|Get-Secret|\$env:WECOM|ww0123456789abcdef|\.csv|\.json|Start-ThreadJob|https://proxy'
    $script:files = foreach ($file in Get-ChildItem (Join-Path $PSScriptRoot '../../en-US') -Filter '*-*.md') {
        $text = Get-Content $file.FullName -Raw -Encoding utf8
        $examples = [regex]::Matches($text, '(?ms)^### (Example [^\r\n]+)\r?\n```powershell\r?\n(.*?)```') | ForEach-Object {
            # The command is what comes before the first blank line; what follows is sample output.
            $code = ($_.Groups[2].Value -split '\r?\n\r?\n', 2)[0]
            @{ Title = $_.Groups[1].Value; Code = $code; Runs = $code -notmatch $needsMore }
        }
        @{ Name = $file.BaseName; Examples = @($examples | Where-Object Runs) }
    }

    # about_WeComPS: each line of its EXAMPLES section is one example.
    $about = Get-Content (Join-Path $PSScriptRoot '../../en-US/about_WeComPS.help.txt') -Raw -Encoding utf8
    $lines = [regex]::Match($about, '(?ms)^EXAMPLES\r?\n(.*?)\r?\n\r?\n').Groups[1].Value -split '\r?\n'
    $script:files += @{
        Name = 'about_WeComPS'
        Examples = @($lines | Where-Object { $_.Trim() -and $_ -notmatch $needsMore } | ForEach-Object { @{ Title = $_.Trim(); Code = $_.Trim() } })
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    # This PowerShell; a .NET tool's pwsh runs inside dotnet, which is then the process.
    $script:pwsh = (Get-Process -Id $PID).Path
    if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') {
        $script:pwsh = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
    }
}

Describe 'Help examples of <Name>' -Tag CI -ForEach ($files | Where-Object { $_.Examples.Count -gt 0 }) {
    It 'runs every example as written' {
        $script = [System.Text.StringBuilder]::new()
        [void]$script.AppendLine("`$ErrorActionPreference = 'Stop'; `$ConfirmPreference = 'None'; `$ProgressPreference = 'SilentlyContinue'")
        [void]$script.AppendLine("Import-Module '$ModulePath'; Connect-WeCom -Sandbox; Set-Location ([IO.Path]::GetTempPath())")
        foreach ($example in $Examples) {
            [void]$script.AppendLine("try { & { $($example.Code) } | Out-String | Out-Null } catch { Write-Output ('FAILED {0}: {1}' -f '$($example.Title -replace "'", "''")', `$_) }")
        }
        [void]$script.AppendLine("Write-Output 'RAN $($Examples.Count)'")
        $path = Join-Path $TestDrive "$Name.ps1"
        Set-Content $path $script.ToString() -Encoding utf8
        $output = & $pwsh -NoProfile -NonInteractive -File $path 2>&1 | ForEach-Object { "$_" }
        $output | Where-Object { $_ -like 'FAILED *' } | Should -BeNullOrEmpty
        $output | Should -Contain "RAN $($Examples.Count)" -Because ($output -join [Environment]::NewLine)
    }
}
